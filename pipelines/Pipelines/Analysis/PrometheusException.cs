namespace Pipelines.Analysis;

/// <summary>Prometheus did not answer a query usably: a configuration or infrastructure problem, never data, so never a pass, an inconclusive verdict or a rollback.</summary>
internal sealed class PrometheusException(PrometheusFailure failure, string message, Exception? inner = null)
    : PipelineException(message, inner ?? new Exception(message))
{
    /// <summary>What went wrong, for the verdict.</summary>
    public PrometheusFailure Failure { get; } = failure;
}
