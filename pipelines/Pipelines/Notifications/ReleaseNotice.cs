namespace Pipelines.Notifications;

/// <summary>What a notification says about a run: the event, where, which images, the manifests commit, the run.</summary>
/// <param name="Pipeline">The build's name (the CI files' name), e.g. <c>orders</c>.</param>
/// <param name="Event">What happened, as a chat line says it: <c>deployed</c>, <c>promoted</c>, <c>rolled back</c>, <c>analysis passed</c>, <c>Test failed</c>.</param>
/// <param name="Succeeded">Whether the event is good news; sets the emoji and the colour.</param>
/// <param name="Environment">The environment the event concerns, e.g. <c>prod</c>.</param>
/// <param name="Images">Each service and its image, <c>repository:tag@digest</c>.</param>
/// <param name="ManifestsCommit">The commit Deploy, Promote or Rollback made in the manifests repository, if any.</param>
/// <param name="RunUrl">The GitHub run or Tekton PipelineRun (a local run's host name otherwise).</param>
/// <param name="Details">More lines: a failure's reason, Analyze's verdict.</param>
internal sealed record ReleaseNotice(
    string Pipeline, string Event, bool Succeeded, string Environment,
    IReadOnlyList<(string Service, string Image)> Images, string? ManifestsCommit, string RunUrl, IReadOnlyList<string> Details)
{
    /// <summary>✅ or ❌.</summary>
    public string Emoji => Succeeded ? "✅" : "❌";

    /// <summary>The one short line a chat shows first: <c>prod-orders-v1.3.0 deployed ✅ | Environment: prod | Image: …</c>.</summary>
    public string Headline
    {
        get
        {
            var parts = new List<string> { $"{Environment}-{Pipeline}{Version} {Event} {Emoji}", $"Environment: {Environment}" };
            if (Images.Count == 1) parts.Add($"Image: {Images[0].Image}");
            else if (Images.Count > 1) parts.Add($"Images: {Images.Count} services");
            return string.Join(" | ", parts);
        }
    }

    /// <summary>The lines under the headline, as label/value pairs every format renders its own way.</summary>
    public IReadOnlyList<(string Label, string Value)> Facts
    {
        get
        {
            var facts = new List<(string, string)> { ("Environment", Environment) };
            facts.AddRange(Images.Select(i => (Images.Count == 1 ? "Image" : $"Image {i.Service}", i.Image)));
            if (ManifestsCommit is { Length: > 0 } commit) facts.Add(("Manifests commit", commit));
            facts.Add(("Run", RunUrl));
            facts.AddRange(Details.Select(d => ("Detail", d)));
            return facts;
        }
    }

    /// <summary>The headline and the facts as plain text lines.</summary>
    public string PlainText => Headline + "\n" + string.Join("\n", Facts.Select(f => $"{f.Label}: {f.Value}"));

    /// <summary>The headline in bold and the facts as a markdown list (links for URLs).</summary>
    public string Markdown(string bold = "**") =>
        $"{bold}{Headline}{bold}\n\n" + string.Join("\n", Facts.Select(f => $"- {f.Label}: {(IsUrl(f.Value) ? $"[{f.Value}]({f.Value})" : f.Value)}"));

    /// <summary>The version of the single service's image (its tag, when it looks like one: <c>v1.3.0</c>), with a leading dash.</summary>
    private string Version =>
        Images.Count == 1 && Tag(Images[0].Image) is { } tag && tag.Length > 0 && char.IsAsciiLetterOrDigit(tag[0]) && tag.Any(char.IsDigit) && tag.Contains('.') ? "-" + tag : "";

    private static string? Tag(string image)
    {
        var withoutDigest = image.Split('@')[0];
        var slash = withoutDigest.LastIndexOf('/');
        var colon = withoutDigest.LastIndexOf(':');
        return colon > slash ? withoutDigest[(colon + 1)..] : null;
    }

    private static bool IsUrl(string value) => value.StartsWith("https://", StringComparison.Ordinal) || value.StartsWith("http://", StringComparison.Ordinal);
}
