namespace Pipelines.Analysis;

/// <summary>Why Prometheus gave no usable answer.</summary>
internal enum PrometheusFailure
{
    /// <summary>No connection, a timeout, or an answer that is not the API (e.g. a proxy's error page).</summary>
    Unreachable,
    /// <summary>401/403: the credentials were rejected.</summary>
    Unauthorized,
    /// <summary>The API answered <c>status: error</c> (bad_data, execution, timeout, …) or an unexpected result type.</summary>
    QueryError,
}
