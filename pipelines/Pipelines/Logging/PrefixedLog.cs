namespace Pipelines.Logging;

/// <summary>A log whose every message starts with <c>&lt;prefix&gt;: </c>: work for several services running side by side.</summary>
internal sealed class PrefixedLog(ILog inner, string prefix) : ILog
{
    /// <inheritdoc />
    public void Write(LogLevel level, string message) => inner.Write(level, $"{prefix}: {message}");
}
