
# Adds a route, or updates the one with that name, so a re-run succeeds.
function Set-Route([string]$Name, [hashtable]$Route) {
    if ($routeTable.Routes | Where-Object Name -EQ $Name) {
        Set-AzRouteConfig -RouteTable $routeTable -Name $Name @Route | Out-Null
    } else {
        Add-AzRouteConfig -RouteTable $routeTable -Name $Name @Route | Out-Null
    }
}

