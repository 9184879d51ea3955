namespace Pipelines.Scaffolding;

/// <summary>
/// Adds a service to a repository: every file it owns (<see cref="ServiceFiles"/>) and its entries in the shared
/// listings (<see cref="ServiceListings"/>). All the writes are computed before the first is made, so a refusal changes
/// nothing.
/// </summary>
internal static class ServiceAdder
{
    /// <summary>Where the build lists its services, relative to the root.</summary>
    public const string BuildFile = "build/Build.cs";
    public const string NamespaceFile = "manifests/infrastructure/namespace.yaml";
    public const string PolicyFile = "manifests/infrastructure/verify-images-policy.yaml";

    /// <summary>The list of apps Flux applies in an environment (clusters/&lt;env&gt;/apps.yaml points at its folder).</summary>
    public static string EnvironmentFile(string environment) => $"manifests/environments/{environment}/kustomization.yaml";

    /// <summary>
    /// Every write adding the service makes, by path relative to <paramref name="root"/>; throws one message naming every
    /// problem (a name already taken, a shared file missing or of a shape it cannot edit) without writing anything.
    /// </summary>
    public static IReadOnlyList<(string Path, string Text)> Plan(string root, string name, string? project, int? port, IReadOnlyList<string> environments)
    {
        var problems = new List<string>();
        string Read(string relative)
        {
            var path = Path.Combine(root, relative);
            if (File.Exists(path)) return File.ReadAllText(path);
            problems.Add($"{relative} does not exist: AddService edits it. Restore it from the template (dotnet new gitops-pipeline), or add the service by hand.");
            return "";
        }
        string? Try(Func<string> edit)
        {
            try { return edit(); }
            catch (PipelineException e) { problems.Add(e.Message); return null; }
        }

        if (Directory.Exists(Path.Combine(root, "manifests", "apps", name)))
            problems.Add($"Service `{name}` exists: manifests/apps/{name}/ is there already. Choose another --name, or remove that folder first.");
        var build = Read(BuildFile);
        if (build.Contains($"new(\"{name}\")", StringComparison.Ordinal) || build.Contains($"new Service(\"{name}\")", StringComparison.Ordinal))
            problems.Add($"Service `{name}` exists: {BuildFile} declares it in Services. Choose another --name.");
        var policy = Read(PolicyFile);
        var registry = problems.Count == 0 ? Try(() => ServiceListings.RegistryOf(policy, PolicyFile)) : null;
        var namespaces = Read(NamespaceFile);
        var listings = environments.Select(e => (Environment: e, File: EnvironmentFile(e), Text: Read(EnvironmentFile(e)))).ToList();
        if (problems.Count > 0) throw new PipelineException(string.Join(Environment.NewLine, problems.Distinct()));

        var service = new NewService(name, project, port, registry!, environments);
        var writes = new List<(string Path, string Text)>();
        if (Try(() => ServiceListings.AddToServices(build, ServiceFiles.ServicesEntry(service), BuildFile)) is { } edited) writes.Add((BuildFile, edited));
        foreach (var listing in listings)
            if (Try(() => ServiceListings.AddToResources(listing.Text, ServiceFiles.EnvironmentEntry(service, listing.Environment), listing.File)) is { } list)
                writes.Add((listing.File, list));
        writes.Add((NamespaceFile, ServiceListings.AddDocument(namespaces, ServiceFiles.Namespace(service))));
        if (Try(() => ServiceListings.AddToPolicy(policy, ServiceFiles.PolicyEntry(service), PolicyFile)) is { } policyEdited) writes.Add((PolicyFile, policyEdited));
        if (problems.Count > 0) throw new PipelineException(string.Join(Environment.NewLine, problems));

        // A Dockerfile of its own (or a README beside it) is the user's: the starter only fills what is missing.
        writes.AddRange(ServiceFiles.Owned(service, withDockerfile: !File.Exists(Path.Combine(root, "src", name, "Dockerfile")))
            .Where(f => !f.Path.StartsWith("src/", StringComparison.Ordinal) || !File.Exists(Path.Combine(root, f.Path))));
        return writes;
    }

    /// <summary>Makes the planned writes.</summary>
    public static void Apply(string root, IReadOnlyList<(string Path, string Text)> writes)
    {
        foreach (var (relative, text) in writes)
        {
            var path = Path.Combine(root, relative);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, text);
        }
    }
}
