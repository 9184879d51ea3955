using Pipelines.Workspace;
using Pipelines.Hosts;
using Pipelines.GitOps;
using Pipelines.Targets;

namespace Pipelines.Components;

/// <summary>The manifests repository Flux watches and its environments: shared by Deploy, Promote, Rollback and Analyze.</summary>
public interface IManifests : IServices
{
    [Parameter("Environment Deploy, Rollback and --to of Promote act on")]
    string Environment => ValueOf(() => Environment, "dev");

    [Parameter("Environments and how each is deployed: name=direct (push to the branch) or name=pull-request")]
    string[] Environments => ValueOf(() => Environments, ["dev=direct", "staging=direct", "prod=pull-request"]);

    [Parameter("Manifests repository Flux watches: a URL or a path; default a bare repository in " + WorkspaceLayout.Relative.ManifestsRepository + " seeded from manifests/")]
    string? ManifestsRepo => ValueOf(() => ManifestsRepo, null);

    [Parameter("Branch of the manifests repository Flux watches")]
    string ManifestsBranch => ValueOf(() => ManifestsBranch, "main");

    [Parameter("Folder Deploy edits in the manifests repository for one --service; default apps/<service>/overlays/<environment>", PerService = true, LocalOnly = true)]
    string? ManifestsPath => ValueOf(() => ManifestsPath, null);

    [Parameter("Image name the manifests use (the kustomize images: name) for one --service, in place of the service's ManifestsImage", PerService = true, LocalOnly = true)]
    string? ManifestsImage => ValueOf(() => ManifestsImage, null);

    [Parameter("Flux image policies (namespace:name) whose # {\"$imagepolicy\": …} markers Deploy sets; default flux-system:<service> for each service")]
    string[] ImagePolicies => ValueOf(() => ImagePolicies, []);

    [Parameter("Token for an HTTPS manifests repository (sent as a header through the environment, never in the URL)"), Secret]
    string? GitToken => ValueOf(() => GitToken, null);

    [Parameter("Author and committer of deploy commits: Name <email>")]
    string GitAuthor => ValueOf(() => GitAuthor, "gitops-pipeline <gitops-pipeline@users.noreply.local>");

    /// <summary>The manifests repository and the deploy identity: given ones must exist; the local default is made on first use.</summary>
    internal async Task ManifestsConfigurationAsync(CancellationToken cancellationToken)
    {
        var identity = GitIdentity.Parse(GitAuthor);
        foreach (var policy in SetterOptions().ImagePolicies)
            if (policy.Split(':') is not [{ Length: > 0 }, { Length: > 0 }])
                throw new PipelineException($"--image-policies '{policy}' is not namespace:name (e.g. flux-system:{Services[0].Name}), as the $imagepolicy marker names it.");
        if (ManifestsRepo is { Length: > 0 } given)
            await new ManifestsRepository(new ManifestsRepositoryOptions(given, ManifestsBranch, GitToken, identity), new ImageSetter(SetterOptions(), Log), Log)
                .EnsureReadableAsync(cancellationToken);
    }

    /// <summary>The folder the local default manifests repository is seeded from (and gains new services' apps/ folders from).</summary>
    internal string ManifestsTemplate => Path.Combine(RootDirectory, "manifests");

    /// <summary>
    /// With the local default repository, each selected service's folder for --environment must be in manifests/, which
    /// seeds it: checked before any target runs, so a service added to Services without its manifests stops before Test,
    /// not at Deploy after the images were built, scanned and signed. A given --manifests-repo is checked when read.
    /// </summary>
    internal Task ManifestsFoldersAsync(CancellationToken cancellationToken)
    {
        if (ManifestsRepo is { Length: > 0 }) return Task.CompletedTask;
        IReadOnlyList<Service> selected;
        // An unknown --service or an invalid name is CheckServices' to report, once.
        try { selected = SelectedServices; }
        catch (PipelineException) { return Task.CompletedTask; }
        var folders = selected.Where(s => ServiceList.IsValidName(s.Name))
            .Select(s => (Service: s, Folder: Path.Combine("manifests", PathFor(s, Environment)).Replace('\\', '/')))
            .ToList();
        var missing = folders
            .Where(m => !Directory.Exists(Path.Combine(RootDirectory, m.Folder)))
            .Select(m => $"Service `{m.Service.Name}` has no `{m.Folder}/`, the folder Deploy edits for --environment {Environment} in the local manifests repository seeded from manifests/: " +
                $"add manifests/apps/{m.Service.Name}/ (a base and an overlay per environment, as another service's), or pass --manifests-repo.")
            .ToList();
        // The files Deploy's setter will read must parse (a tab in the indentation), or Deploy fails after the images were pushed.
        missing.AddRange(folders.Select(m => m.Folder).Distinct().SelectMany(folder => ManifestsSyntax.Problems(Path.Combine(RootDirectory, folder), folder)));
        return missing.Count == 0 ? Task.CompletedTask : Task.FromException(new PipelineException(string.Join(System.Environment.NewLine, missing)));
    }

    /// <summary>The manifests repository: the given one, else the local bare repository seeded from manifests/.</summary>
    internal async Task<ManifestsRepository> ManifestsAsync(CancellationToken cancellationToken)
    {
        var url = ManifestsRepo is { Length: > 0 } given
            ? given
            : await new LocalManifestsRepository(Log).EnsureAsync(Layout.ManifestsRepository, ManifestsTemplate, ManifestsBranch, cancellationToken);
        return new ManifestsRepository(new ManifestsRepositoryOptions(url, ManifestsBranch, GitToken, GitIdentity.Parse(GitAuthor)), new ImageSetter(SetterOptions(), Log), Log);
    }

    /// <summary>The image setter's options: Helm values at image, and the Flux policies that stand for the services.</summary>
    internal ImageSetterOptions SetterOptions() =>
        ImageSetterOptions.Default with { ImagePolicies = ImagePolicies.Length > 0 ? ImagePolicies : [.. SelectedServices.Select(s => $"flux-system:{s.Name}")] };

    /// <summary>A service's folder for an environment in the manifests repository.</summary>
    internal string PathFor(Service service, string environment) => ManifestsPath is { Length: > 0 } given ? given : DeployRequest.DefaultPath(service.Name, environment);

    /// <summary>How the manifests name a service's image.</summary>
    internal string ManifestsImageOf(Service service) => ManifestsImage is { Length: > 0 } given ? given : service.ManifestsImageName;

    /// <summary>The rollback of the selected services in an environment.</summary>
    internal RollbackRequest RollbackRequestFor(string environment) =>
        RollbackRequest.ForApps(environment, SelectedServices.Select(s => new AppPath(s.Name, PathFor(s, environment))).ToList(), Host.RunId);
}
