using System.Security.Claims;

namespace Clinical.Api.Hosting;

/// <summary>
/// SMART on FHIR scopes in the token's space-separated "scope" claim: v2 (system/RiskAssessment.rs, user/Flag.cruds)
/// and v1 (system/RiskAssessment.read, .write, .*); the resource may be "*". Context system/, user/ or patient/.
/// </summary>
public static class SmartScopes
{
    public static bool Grants(ClaimsPrincipal user, string resource, params char[] needed)
    {
        foreach (
            var scope in user.FindAll("scope")
                .SelectMany(c => c.Value.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        )
        {
            var slash = scope.IndexOf('/', StringComparison.Ordinal);
            var dot = scope.LastIndexOf('.');
            if (slash < 0 || dot < slash)
                continue;
            var context = scope[..slash];
            var type = scope[(slash + 1)..dot];
            var permission = scope[(dot + 1)..];
            if (context is not ("system" or "user" or "patient") || (type != "*" && type != resource))
                continue;
            var granted = permission switch
            {
                "*" => "cruds",
                "read" => "rs",
                "write" => "cud",
                _ => permission,
            };
            if (needed.All(granted.Contains))
                return true;
        }
        return false;
    }
}
