namespace Pipelines.Analysis;

/// <summary>Prometheus did not answer a query usably; the analysis treats it as inconclusive, never as a pass.</summary>
internal sealed class PrometheusException(PrometheusFailure failure, string message, Exception? inner = null)
    : PipelineException(message, inner ?? new Exception(message))
{
    /// <summary>What went wrong, for the verdict.</summary>
    public PrometheusFailure Failure { get; } = failure;
}
