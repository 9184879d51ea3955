using System.Text.Json;
using Microsoft.AspNetCore.Http.Features;

namespace Shortlink.Links;

/// <summary>Maps <c>POST /links</c> and <c>GET /{code}</c>.</summary>
public static class LinkEndpoints
{
    /// <summary>Adds the link endpoints to <paramref name="endpoints"/>.</summary>
    public static IEndpointRouteBuilder MapLinks(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapPost("/links", CreateAsync);
        endpoints.MapGet("/{code}", Follow);
        return endpoints;
    }

    private static async Task<IResult> CreateAsync(HttpRequest request, LinkShortener shortener, CancellationToken ct)
    {
        // The body is read by hand so that a malformed or missing body gets the same field-naming
        // problem response as a bad URL, instead of the framework's bare 400.
        CreateLinkRequest? body;
        try
        {
            body = HasBody(request) ? await request.ReadFromJsonAsync<CreateLinkRequest>(ct) : null;
        }
        catch (InvalidOperationException)
        {
            return Results.Problem(
                statusCode: StatusCodes.Status415UnsupportedMediaType,
                title: "Unsupported media type",
                detail: $"Send the link as JSON with Content-Type: application/json (got '{request.ContentType}').");
        }
        catch (JsonException e)
        {
            return Invalid("body", $"The request body is not valid JSON: {e.Message}");
        }

        if (!TargetUrl.TryParse(body?.Url, out var target, out var error))
            return Invalid("url", error);

        var link = shortener.Shorten(target);
        var shortUrl = $"{request.Scheme}://{request.Host}{request.PathBase}/{link.Code}";
        return Results.Created(shortUrl, new CreatedLink(link.Code, shortUrl));
    }

    // A request without Content-Length or chunked encoding has no body at all: that is a missing url, not a wrong media type.
    private static bool HasBody(HttpRequest request) =>
        request.ContentLength is not 0
        && request.HttpContext.Features.Get<IHttpRequestBodyDetectionFeature>()?.CanHaveBody != false;

    private static IResult Follow(string code, ILinkStore store) =>
        store.Find(code) is { } link
            ? Results.Redirect(link.Target.AbsoluteUri)
            : Results.Problem(
                statusCode: StatusCodes.Status404NotFound,
                title: "Link not found",
                detail: $"No link has the code '{code}'. Create one with POST /links.");

    private static IResult Invalid(string field, string message) =>
        Results.ValidationProblem(
            new Dictionary<string, string[]> { [field] = [message] },
            detail: message,
            title: $"Invalid {field}");
}
