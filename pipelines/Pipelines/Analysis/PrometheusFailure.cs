namespace Pipelines.Analysis;

/// <summary>Why Prometheus gave no usable answer. None of these is data: none may make a release inconclusive or roll it back.</summary>
internal enum PrometheusFailure
{
    /// <summary>No connection, a timeout, or an answer that is not the API (e.g. a proxy's error page).</summary>
    Unreachable,
    /// <summary>401/403: the credentials were rejected.</summary>
    Unauthorized,
    /// <summary>The query is wrong: <c>bad_data</c> (a syntax error), <c>execution</c> (it cannot be evaluated), or it returns no instant vector.</summary>
    QueryError,
    /// <summary>Prometheus failed on its side: <c>internal</c>, <c>unavailable</c>, <c>timeout</c>, <c>canceled</c>, or another 5xx.</summary>
    ServerError,
}
