using System.Net;

namespace Pipelines.Registry;

/// <summary>
/// A registry refused or failed a call. The message names the registry, the operation, the status, the
/// registry's own error codes and messages, and for 401/403 the credential source used (never its value).
/// </summary>
internal sealed class RegistryException : PipelineException
{
    /// <summary>Carries the status and the registry's error list so callers can tell a 404 from a refusal.</summary>
    public RegistryException(string message, HttpStatusCode? statusCode = null, IReadOnlyList<RegistryError>? errors = null, Exception? inner = null)
        : base(message, inner!)
    {
        StatusCode = statusCode;
        Errors = errors ?? [];
    }

    /// <summary>The HTTP status, or null when no answer arrived.</summary>
    public HttpStatusCode? StatusCode { get; }

    /// <summary>The registry's <c>errors</c> array (code, message), possibly empty.</summary>
    public IReadOnlyList<RegistryError> Errors { get; }

    /// <summary>True when one of <see cref="Errors"/> has <paramref name="code"/> (e.g. <c>MANIFEST_UNKNOWN</c>).</summary>
    public bool HasCode(string code) => Errors.Any(e => string.Equals(e.Code, code, StringComparison.Ordinal));
}
