namespace Pipelines.GitOps;

/// <summary>The title and description of a deploy pull request: one app as it always was, or every app of the set.</summary>
internal static class PullRequestText
{
    private const string Footer = "Opened by the Deploy target; merging it lets Flux apply the change.";

    /// <summary>One app: <c>deploy(&lt;env&gt;): &lt;app&gt; &lt;tag&gt;@&lt;short digest&gt;</c> and a table of the image, its gate results and origin.</summary>
    public static (string Title, string Body) ForApp(DeployRequest request, DeployClearance clearance)
    {
        var image = request.Image;
        var title = $"deploy({request.Environment}): {request.App} {image.Tag ?? "untagged"}@{ManifestsRepository.ShortDigest(image.Digest ?? "")}";
        var body = string.Join("\n",
            $"Deploys **{request.App}** to **{request.Environment}**.",
            "",
            "| | |",
            "| --- | --- |",
            $"| Image | `{image.Repository}{(image.Tag is null ? "" : ":" + image.Tag)}` |",
            $"| Digest | `{image.Digest}` |",
            $"| Scan | {clearance.Scan} |",
            $"| Signature | {clearance.Signature} |",
            $"| Source commit | {request.SourceCommit ?? "unknown"} |",
            $"| Pipeline run | {request.PipelineRun ?? "unknown"} |",
            "",
            Footer);
        return (title, body);
    }

    /// <summary>
    /// Several apps: the deploy commit's subject form over every app of the set, and one table row per app (image,
    /// digest, folder, scan, signature) before the source commit and pipeline run.
    /// </summary>
    public static (string Title, string Body) ForApps(DeployRequest request, IReadOnlyList<DeployClearance> clearances)
    {
        var lines = new List<string>
        {
            $"Deploys {string.Join(", ", request.Apps.Select(a => $"**{a.App}**"))} to **{request.Environment}** in one commit.",
            "",
            "| App | Image | Digest | Folder | Scan | Signature |",
            "| --- | --- | --- | --- | --- | --- |",
        };
        foreach (var app in request.Apps)
        {
            var clearance = clearances.First(c => c.Image.Digest == app.Image.Digest);
            var image = app.Image;
            lines.Add($"| {app.App} | `{image.Repository}{(image.Tag is null ? "" : ":" + image.Tag)}` | `{image.Digest}` | `{app.Path}` | {clearance.Scan} | {clearance.Signature} |");
        }
        lines.AddRange(
        [
            "",
            $"Source commit: {request.SourceCommit ?? "unknown"}",
            $"Pipeline run: {request.PipelineRun ?? "unknown"}",
            "",
            Footer,
        ]);
        return (ManifestsRepository.Subject("deploy", request.Environment, request.Apps), string.Join("\n", lines));
    }
}
