namespace Pipelines.GitOps;

internal sealed partial class ManifestsRepository
{
    /// <summary>The longest subject that lists every app with its version; a longer one lists names only, or their count.</summary>
    internal const int MaxSubjectLength = 72;

    /// <summary>
    /// The deploy commit's message. One app (today's form): subject <c>deploy(&lt;env&gt;): &lt;app&gt; &lt;tag&gt;@&lt;short digest&gt;</c>,
    /// a <c>Set … in …</c> line, the trailers <c>Image:</c>, <c>Image-Digest:</c>, <c>Source-Commit:</c>, <c>Pipeline-Run:</c>.
    /// Several apps: subject <c>deploy(&lt;env&gt;): &lt;app1&gt; &lt;version&gt;, &lt;app2&gt; &lt;version&gt;</c> (when longer than
    /// <see cref="MaxSubjectLength"/>: the names only, or <c>&lt;n&gt; apps</c>), one <c>Set</c> line per app, and per app
    /// the trailers <c>App:</c>, <c>Image:</c>, <c>Image-Digest:</c> in that order, then <c>Source-Commit:</c> and <c>Pipeline-Run:</c>.
    /// </summary>
    internal static string CommitMessage(DeployRequest request, IReadOnlyList<AppImage> apps)
    {
        var multi = apps.Count > 1;
        var lines = new List<string> { Subject("deploy", request.Environment, apps), "" };
        lines.AddRange(apps.Select(a => $"Set {a.Image.Reference} in {NormalizePath(a.Path)}."));
        lines.Add("");
        foreach (var app in apps)
        {
            if (multi) lines.Add($"{AppTrailer}: {app.App}");
            lines.Add($"Image: {app.Image.Repository}{(app.Image.Tag is null ? "" : ":" + app.Image.Tag)}");
            if (app.Image.Digest is not null) lines.Add($"Image-Digest: {app.Image.Digest}");
        }
        if (request.SourceCommit is { Length: > 0 } source) lines.Add($"Source-Commit: {source}");
        if (request.PipelineRun is { Length: > 0 } run) lines.Add($"Pipeline-Run: {run}");
        return string.Join('\n', lines) + "\n";
    }

    /// <summary>The trailer that names each app of a several-app deploy commit.</summary>
    internal const string AppTrailer = "App";

    /// <summary>
    /// <c>&lt;kind&gt;(&lt;env&gt;): &lt;app&gt; &lt;version&gt;[, …]</c>; when that is longer than <see cref="MaxSubjectLength"/>,
    /// <c>&lt;kind&gt;(&lt;env&gt;): &lt;app1&gt;, &lt;app2&gt;</c>, and when that is too, <c>&lt;kind&gt;(&lt;env&gt;): &lt;n&gt; apps</c>.
    /// </summary>
    internal static string Subject(string kind, string environment, IReadOnlyList<AppImage> apps)
    {
        var prefix = $"{kind}({environment}): ";
        var full = prefix + string.Join(", ", apps.Select(a => $"{a.App} {a.Version}"));
        if (apps.Count == 1 || full.Length <= MaxSubjectLength) return full;
        var names = prefix + string.Join(", ", apps.Select(a => a.App));
        return names.Length <= MaxSubjectLength ? names : $"{prefix}{apps.Count} apps";
    }

    /// <summary>
    /// The apps a deploy commit to <paramref name="environment"/> set: its <c>App:</c> trailers (several apps), or the app its
    /// subject names (one app); empty when <paramref name="subject"/> is no deploy to that environment.
    /// </summary>
    internal static IReadOnlyList<string> DeployedApps(string environment, string subject, IEnumerable<string> appTrailers)
    {
        var prefix = $"deploy({environment}): ";
        if (!subject.StartsWith(prefix, StringComparison.Ordinal)) return [];
        var named = appTrailers.Where(a => a.Length > 0).ToList();
        if (named.Count > 0) return named;
        var app = subject[prefix.Length..].Split(' ', 2)[0].TrimEnd(',');
        return app.Length == 0 ? [] : [app];
    }
}
