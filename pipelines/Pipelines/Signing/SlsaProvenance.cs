using System.Globalization;
using System.Text.Json.Nodes;
using Pipelines.Workspace;

namespace Pipelines.Signing;

/// <summary>
/// The inputs of a SLSA provenance v1 predicate (<c>https://slsa.dev/provenance/v1</c>): what was
/// built from which source, by which builder, with which parameters, and when.
/// </summary>
/// <param name="BuildType">URI naming how the build runs; <see cref="DefaultBuildType"/> for this toolkit's targets.</param>
/// <param name="BuilderId">The host run that built it (<c>PipelineHost.RunId</c>: a GitHub run URL, a Tekton PipelineRun, or <c>local:&lt;machine&gt;</c>).</param>
/// <param name="Source">The source repository and commit, when known.</param>
/// <param name="Parameters">The build's parameters, secrets already left out.</param>
/// <param name="StartedOn">When the build started.</param>
/// <param name="FinishedOn">When the artifact was finished (signing time).</param>
/// <param name="HostName">The host kind (<c>terminal</c>, <c>github-actions</c>, <c>tekton</c>).</param>
internal sealed record SlsaProvenance(
    string BuildType,
    string BuilderId,
    SourceRevision? Source,
    IReadOnlyDictionary<string, string> Parameters,
    DateTimeOffset StartedOn,
    DateTimeOffset FinishedOn,
    string HostName)
{
    /// <summary>The build type of the toolkit's target graph.</summary>
    public const string DefaultBuildType = "https://github.com/gitops-pipelines/pipelines/build-types/targets/v1";

    /// <summary>The predicate JSON, in the field order of the SLSA v1 specification.</summary>
    public JsonObject ToPredicate()
    {
        var external = new JsonObject
        {
            ["parameters"] = new JsonObject(Parameters.OrderBy(p => p.Key, StringComparer.Ordinal)
                .Select(p => KeyValuePair.Create(p.Key, (JsonNode?)JsonValue.Create(p.Value)))),
        };
        var dependencies = new JsonArray();
        if (Source is { } source)
        {
            external["source"] = new JsonObject { ["uri"] = source.Uri, ["digest"] = new JsonObject { ["gitCommit"] = source.Commit } };
            dependencies.Add(new JsonObject { ["uri"] = "git+" + source.Uri, ["digest"] = new JsonObject { ["gitCommit"] = source.Commit } });
        }
        return new JsonObject
        {
            ["buildDefinition"] = new JsonObject
            {
                ["buildType"] = BuildType,
                ["externalParameters"] = external,
                ["internalParameters"] = new JsonObject { ["host"] = HostName },
                ["resolvedDependencies"] = dependencies,
            },
            ["runDetails"] = new JsonObject
            {
                ["builder"] = new JsonObject { ["id"] = BuilderId },
                ["metadata"] = new JsonObject
                {
                    ["invocationId"] = BuilderId,
                    ["startedOn"] = Rfc3339(StartedOn),
                    ["finishedOn"] = Rfc3339(FinishedOn),
                },
            },
        };
    }

    private static string Rfc3339(DateTimeOffset time) =>
        time.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
