using Pipelines.Logging;
using Pipelines.Packaging;
using Pipelines.Targets;
using Pipelines.Workspace;

// This repository's own target (it packs this repository): the toolkit as the GitOps.Pipelines package and the
// dotnet new template that references it, both at one version into artifacts/packages/. The version is MinVer's,
// from git tags v<major>.<minor>.<patch> (untagged: 0.1.0-alpha.0.<height>); MinVerVersionOverride=1.2.3 in the
// environment sets it. No parameter: CI files would carry it to every Task and job.
partial class Build
{
    Target Pack => _ => _
        .Description("Packs the toolkit (GitOps.Pipelines, with symbols) and the dotnet new template (GitOps.Pipelines.Templates) into " + WorkspaceLayout.Relative.Packages)
        .Produces("PACKAGE_VERSION")
        .Executes(async context =>
        {
            var result = await new PackageBuilder(Log).PackAsync(
                new PackOptions(RootDirectory, Layout.PackagesDirectory, PackOptions.DefaultProjects),
                context.CancellationToken);
            foreach (var package in result.Packages)
                Log.Info($"{package.Id} {package.Version}: {Path.GetRelativePath(RootDirectory, package.Path)}{(package.SymbolsPath is null ? "" : $" (symbols: {Path.GetRelativePath(RootDirectory, package.SymbolsPath)})")}");
            context.Publish("PACKAGE_VERSION", result.Version);
            context.Note("Packages", $"{result.Packages.Count} at {result.Version} in {WorkspaceLayout.Relative.Packages}");
        });
}
