using Pipelines.GitOps;
using Pipelines.Logging;
using Pipelines.Processes;
using Pipelines.Scaffolding;
using Pipelines.Targets;

namespace Pipelines.Components;

/// <summary>
/// AddService: a new service with everything it needs, as the template writes the first: its line in Services, a
/// starter Dockerfile, manifests/apps/&lt;name&gt;/ (base and an overlay per environment), its entry in each
/// environment's list of apps, its namespace and its repository in the admission policy; then Generate. A developer's
/// command: its parameters never reach CI files.
/// </summary>
public interface IAddService : IManifests
{
    // Named with a leading underscore only so that it can be --name beside the build's Name.
    [Parameter("AddService: the new service's name (a lower-case DNS label starting with a letter)", LocalOnly = true)]
    internal string? _name => ValueOf(() => _name, null);

    [Parameter("AddService: a .NET project the build publishes for the new service (e.g. src/payments/Payments.csproj); default: a plain Dockerfile", LocalOnly = true)]
    string? Project => ValueOf(() => Project, null);

    [Parameter("AddService: the port the new service listens on", LocalOnly = true)]
    int Port => ValueOf(() => Port, 8080);

    [Parameter("AddService: the new service is a worker (no Service, no port, no ingress)", LocalOnly = true)]
    bool Worker => ValueOf(() => Worker, false);

    /// <summary>Writes the new service's files and listings, then regenerates the CI files.</summary>
    Target AddService => _ => _
        .Description("Adds a service (--name, --project, --port or --worker): its Services line, a starter Dockerfile, its manifests and listings; then Generate")
        .Executes(async ctx =>
        {
            var writes = ServiceAdder.Plan(RootDirectory, NewServiceName(), Project, Worker ? null : Port, [.. EnvironmentModes.Parse(Environments).Environments]);
            ServiceAdder.Apply(RootDirectory, writes);
            foreach (var (path, _) in writes) ctx.Log.Info($"wrote {path}");
            ctx.Note("Service", _name!);
            await GenerateWithNewServiceAsync(ctx.CancellationToken);
        });

    /// <summary>The --name given, checked with the build's rule and against the declared services.</summary>
    private string NewServiceName()
    {
        if (_name is not { Length: > 0 } name) throw new PipelineException("AddService needs --name <service>, e.g. ./build.sh AddService --name payments.");
        if (!ServiceList.IsValidName(name)) throw new PipelineException($"--name `{name}` is not {ServiceList.NameRule}; e.g. --name payments.");
        if (Services.Any(s => s.Name == name)) throw new PipelineException($"Service `{name}` exists: the build declares it in Services. Choose another --name.");
        if (Worker && IsGiven(nameof(Port))) throw new PipelineException("--port and --worker contradict each other: a worker listens on nothing. Give one of them.");
        if (Port is < 1 or > 65535) throw new PipelineException($"--port {Port} is not a TCP port (1-65535).");
        return name;
    }

    /// <summary>
    /// Generate as the edited build sees it: the running build was compiled before the new Services line, so the build
    /// project is compiled into a folder of its own (never over the running one) and that build runs Generate.
    /// </summary>
    private async Task GenerateWithNewServiceAsync(CancellationToken cancellationToken)
    {
        var project = Path.Combine(RootDirectory, "build", "Build.csproj");
        var dotnet = System.Environment.ProcessPath is { } host && Path.GetFileNameWithoutExtension(host) == "dotnet" ? host : "dotnet";
        var output = TemporaryFolders.New("add-service-build");
        try
        {
            var compiled = await new Command(dotnet)
                .WithArguments("build", project, "--configuration", "Release", "--output", output, "-nologo", "-verbosity:quiet", "-clp:NoSummary")
                .WithWorkingDirectory(RootDirectory).WithOutput(OutputMode.Quiet).ExecuteAsync(Log, cancellationToken);
            if (!compiled.Succeeded)
                throw new PipelineException($"The service's files are written, but build/ no longer compiles:{System.Environment.NewLine}{compiled.StandardOutput}{compiled.StandardError}Fix build/Build.cs, then run ./build.sh Generate.");
            var generated = await new Command(dotnet)
                .WithArguments(Path.Combine(output, "Build.dll"), "Generate")
                .WithWorkingDirectory(RootDirectory).WithEnvironment("PIPELINE_ROOT", RootDirectory).ExecuteAsync(Log, cancellationToken);
            if (!generated.Succeeded) throw new PipelineException("The service's files are written, but Generate failed (see above): fix what it names, then run ./build.sh Generate.");
        }
        finally { TemporaryFolders.Delete(output); }
    }
}
