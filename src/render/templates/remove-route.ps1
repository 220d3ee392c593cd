
# Removes a route; says so and goes on when it is already gone.
function Remove-Route([string]$Name) {
    if ($routeTable.Routes | Where-Object Name -EQ $Name) {
        Remove-AzRouteConfig -RouteTable $routeTable -Name $Name | Out-Null
    } else {
        Write-Output "route $Name is already gone: skipped"
    }
}

