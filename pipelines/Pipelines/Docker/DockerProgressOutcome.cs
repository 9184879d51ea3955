using System.Text.Json;

namespace Pipelines.Docker;

/// <summary>What a progress stream (build, push, pull) ended with.</summary>
/// <param name="Aux">Every <c>aux</c> object, in order (build: <c>{ID}</c>; push: <c>{Tag, Digest, Size}</c>).</param>
/// <param name="LastStep">The last <c>Step N/M : …</c> line of a classic build, if any.</param>
/// <param name="Statuses">The <c>status</c> messages, without progress bars (push: "Pushed", "Layer already exists").</param>
/// <param name="CachedSteps">How many <c>---&gt; Using cache</c> lines a classic build printed.</param>
public sealed record DockerProgressOutcome(IReadOnlyList<JsonElement> Aux, string? LastStep, IReadOnlyList<string> Statuses, int CachedSteps);
