
# Deletes route "$1"; says so and goes on when it is already gone.
delete_route() {
  if found=$(az network route-table route show {table} --name="$1" --output none 2>&1); then
    az network route-table route delete {table} --name="$1"
  else
    status=$?
    if [ "$status" -ne 3 ]; then
      printf '%s\n' "$found" >&2
      exit "$status"
    fi
    printf 'route %s is already gone: skipped\n' "$1"
  fi
}

