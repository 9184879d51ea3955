namespace Pipelines.TektonLocal;

/// <summary>
/// Tekton's credential initialisation (auth.md): the Secrets of the run's ServiceAccount annotated
/// <c>tekton.dev/git-*</c> or <c>tekton.dev/docker-*</c> are written into each step's <c>$HOME</c> (.ssh, .gitconfig,
/// .git-credentials, .docker/config.json). A local run has no ServiceAccount and does not do this, so a run that relies
/// on it is refused before anything starts instead of running without its credentials.
/// </summary>
internal static class CredentialSecrets
{
    /// <summary>Throws when <paramref name="serviceAccount"/> names a ServiceAccount among the objects whose Secrets carry a Tekton auth annotation.</summary>
    public static void Refuse(RenderedTekton rendered, string? serviceAccount, string file)
    {
        if (serviceAccount is null) return;
        if (rendered.OfKind("ServiceAccount").FirstOrDefault(a => RenderedTekton.NameOf(a) == serviceAccount) is not { } account) return;
        var annotated = Yaml.List(account, "secrets").Select(s => Yaml.String(s, "name"))
            .Select(n => rendered.OfKind("Secret").FirstOrDefault(s => RenderedTekton.NameOf(s) == n))
            .Where(s => Yaml.Map(Yaml.Map(s, "metadata"), "annotations").Keys.Any(k => k.StartsWith("tekton.dev/git-", StringComparison.Ordinal) || k.StartsWith("tekton.dev/docker-", StringComparison.Ordinal)))
            .Select(RenderedTekton.NameOf).ToList();
        if (annotated.Count > 0)
            throw new PipelineException($"{file}: ServiceAccount {serviceAccount} carries Secret(s) {string.Join(", ", annotated)} annotated for Tekton's credential initialisation (auth.md: copied into each step's $HOME); the local runner does not implement it, so nothing was started: run it on a cluster, or bind the Secret as a workspace and read it from there.");
    }
}
