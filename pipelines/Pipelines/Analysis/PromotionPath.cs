namespace Pipelines.Analysis;

/// <summary>The order releases travel through the environments, as <c>--environments</c> lists them (<c>dev=direct,staging=direct,prod=pull-request</c>).</summary>
internal static class PromotionPath
{
    /// <summary>The environment after <paramref name="environment"/>; an error when it is the last or not listed.</summary>
    public static string Next(IEnumerable<string> environmentEntries, string environment)
    {
        var names = environmentEntries.Select(e => e.Split('=', 2, StringSplitOptions.TrimEntries)[0]).ToList();
        var index = names.IndexOf(environment);
        if (index < 0)
            throw new PipelineException($"--promote-on-success: environment '{environment}' is not in --environments ({string.Join(", ", names)}).");
        if (index == names.Count - 1)
            throw new PipelineException($"--promote-on-success: '{environment}' is the last environment in --environments ({string.Join(", ", names)}); there is nothing to promote to.");
        return names[index + 1];
    }
}
