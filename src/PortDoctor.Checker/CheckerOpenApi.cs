using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using PortDoctor.Core.Reachability.Wire;

namespace PortDoctor.Checker;

/// <summary>The OpenAPI document served at <c>/openapi/v1.json</c>: its title, version and description.</summary>
internal static class CheckerOpenApi
{
    public static void Configure(OpenApiOptions options)
    {
        options.AddDocumentTransformer((document, _, _) =>
        {
            document.Info.Title = "PortDoctor checker";
            document.Info.Version = "v1";
            document.Info.Description =
                "Connects back to the caller's own address to tell whether a port is reachable from the internet. " +
                "It never probes any other address, refuses private and reserved addresses unless configured, " +
                "limits requests per address (429 with Retry-After) and probes in flight (503 with Retry-After).";
            return Task.CompletedTask;
        });

        // The check handler reads its body itself (strict parser, size cap, its own 415), so the framework's
        // Accepts metadata, which would answer 415 before the handler, is not used; the body is described here.
        options.AddOperationTransformer(async (operation, context, cancellationToken) =>
        {
            if (context.Description.RelativePath == "api/v1/check" && context.Description.HttpMethod == "POST")
            {
                operation.RequestBody = new OpenApiRequestBody
                {
                    Required = true,
                    Description = "port 1-65535; protocol tcp or udp; nonce required for udp (1-64 of A-Z a-z 0-9 - _). Other members are refused.",
                    Content = new Dictionary<string, OpenApiMediaType>
                    {
                        ["application/json"] = new() { Schema = await context.GetOrCreateSchemaAsync(typeof(CheckRequest), null, cancellationToken).ConfigureAwait(false) },
                    },
                };
            }
        });
    }
}
