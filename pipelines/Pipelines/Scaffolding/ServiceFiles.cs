namespace Pipelines.Scaffolding;

/// <summary>
/// The files one service owns, as text: its manifests app (base and an overlay per environment), its namespace, its
/// starter Dockerfile, and the lines the shared listings get for it. The one source of a service's files: AddService
/// writes them, and templates/gitops-pipeline holds them as rendered for <c>example-service</c> (a test keeps the two
/// equal, and rewrites the template's copy with PIPELINE_UPDATE_TEMPLATE=1).
/// </summary>
internal static partial class ServiceFiles
{
    /// <summary>Every file of the service that lives in a folder of its own, by path relative to the repository root.</summary>
    /// <param name="service">The service.</param>
    /// <param name="withDockerfile">False when the service's Dockerfile exists already (it is never replaced).</param>
    public static IReadOnlyList<(string Path, string Text)> Owned(NewService service, bool withDockerfile)
    {
        var app = $"manifests/apps/{service.Name}";
        var files = new List<(string, string)>
        {
            ($"{app}/base/kustomization.yaml", BaseKustomization(service)),
            ($"{app}/base/deployment.yaml", Deployment(service)),
        };
        if (!service.IsWorker) files.Add(($"{app}/base/service.yaml", KubernetesService(service)));
        files.Add(($"{app}/base/serviceaccount.yaml", ServiceAccount(service)));
        files.Add(($"{app}/base/networkpolicy.yaml", NetworkPolicy(service)));
        files.AddRange(service.Environments.Select(e => ($"{app}/overlays/{e}/kustomization.yaml", Overlay(service, e))));
        if (withDockerfile) files.AddRange(Starter(service));
        return files;
    }

    /// <summary>The starter image files under <c>src/&lt;name&gt;/</c>: a FROM-scratch Dockerfile, or one for a published .NET project.</summary>
    public static IReadOnlyList<(string Path, string Text)> Starter(NewService service) => service.Project is null
        ? [($"src/{service.Name}/Dockerfile", ScratchDockerfile(service)), ($"src/{service.Name}/README.md", SourceReadme(service))]
        : [($"src/{service.Name}/Dockerfile", DotnetDockerfile(service)), ($"src/{service.Name}/.dockerignore", DotnetDockerignore)];

    /// <summary>The service's line in the build's <c>Services</c> list, without indentation.</summary>
    public static string ServicesEntry(NewService service) =>
        service.Project is null ? $"new(\"{service.Name}\")," : $"new(\"{service.Name}\") {{ Project = {CSharpString(service.Project)} }},";

    /// <summary>The service's entry in an environment's list of apps (<c>manifests/environments/&lt;env&gt;/kustomization.yaml</c>).</summary>
    public static string EnvironmentEntry(NewService service, string environment) => $"  - ../../apps/{service.Name}/overlays/{environment}";

    /// <summary>The service's item in the admission policy's <c>imageReferences</c>, without indentation (it takes the indentation of the item it follows).</summary>
    public static string PolicyEntry(NewService service) => $"- \"{service.Registry}/{service.Name}*\"";

    /// <summary>
    /// <paramref name="value"/> as a C# regular string literal: a --project path is the user's text, and a quote or a
    /// backslash (a Windows path) spliced in raw would end the literal or become an escape, breaking Build.cs.
    /// </summary>
    internal static string CSharpString(string value)
    {
        var text = new System.Text.StringBuilder("\"");
        foreach (var c in value)
            text.Append(c switch
            {
                '"' => "\\\"", '\\' => "\\\\", '\n' => "\\n", '\r' => "\\r", '\t' => "\\t", '\0' => "\\0",
                _ when char.IsControl(c) || c is '\u2028' or '\u2029' or '\u0085' => $"\\u{(int)c:x4}",
                _ => c.ToString(),
            });
        return text.Append('"').ToString();
    }
}
