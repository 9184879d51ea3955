using Pipelines.Processes;
using Pipelines.Tests.Support;

namespace Pipelines.Tests.Templates;

/// <summary>
/// The template's <c>build.ps1</c> run for real by PowerShell: Debian has no PowerShell package, but NuGet serves it as
/// a .NET tool, installed once into a cache folder (<see cref="Version"/>; 7.7.0 does not run here). A machine that
/// cannot install it fails this test saying why: xunit 2 has no skip decided at run time, and a skipped proof is none.
/// </summary>
[Collection(PackedTemplateCollection.Name)]
public sealed class TemplateBuildPs1Tests(PackedTemplate packed) : IDisposable
{
    private const string Version = "7.6.10";
    private readonly TempDirectory _work = new("template-ps1");

    public void Dispose() => _work.Dispose();

    [Fact]
    public async Task build_ps1_compiles_the_new_repositorys_build_lists_its_targets_and_then_runs_it_without_compiling()
    {
        var pwsh = await PowerShellAsync();
        var repository = Directory.CreateDirectory(_work.Combine("orders")).FullName;
        var created = await packed.DotNetNew(repository, new Dictionary<string, string?> { [TemplateRulesTests.TemplateFeedVariable] = packed.Feed }, "gitops-pipeline", "-n", "orders");
        Assert.True(created.Succeeded, created.StandardOutput + created.StandardError);
        var run = new Command(pwsh).WithWorkingDirectory(_work.Path)
            .WithEnvironment("NUGET_PACKAGES", _work.Combine("nuget-packages"))
            .WithEnvironment("CI", null)
            .WithOutput(OutputMode.Quiet).WithTimeout(TimeSpan.FromMinutes(10));

        // From another folder, as the script says it works: it finds its own root.
        var help = await run.WithArguments("-NoProfile", "-NonInteractive", "-File", Path.Combine(repository, "build.ps1"), "--help").ExecuteAsync();

        Assert.True(help.Succeeded, $"{help.ExitCode}\n{help.StandardOutput}\n{help.StandardError}");
        Assert.Contains("Deploy", help.StandardOutput);
        Assert.Contains("AddService", help.StandardOutput);
        Assert.True(File.Exists(Path.Combine(repository, ".build", "bin", "Build.dll")), "build.ps1 did not compile build/ into .build/bin");
        var stamp = Path.Combine(repository, ".build", "sources.sha1");
        var compiledAt = File.GetLastWriteTimeUtc(Path.Combine(repository, ".build", "bin", "Build.dll"));

        var plan = await run.WithArguments("-NoProfile", "-NonInteractive", "-File", Path.Combine(repository, "build.ps1"), "--plan", "Deploy").ExecuteAsync();

        Assert.True(plan.Succeeded, $"{plan.ExitCode}\n{plan.StandardOutput}\n{plan.StandardError}");
        Assert.Contains("Containerize", plan.StandardOutput);
        Assert.True(File.Exists(stamp));
        Assert.Equal(compiledAt, File.GetLastWriteTimeUtc(Path.Combine(repository, ".build", "bin", "Build.dll")));
    }

    /// <summary>PowerShell's pwsh, installed as a .NET tool into a cache folder shared by test runs.</summary>
    private static async Task<string> PowerShellAsync()
    {
        var toolPath = Path.Combine(Path.GetTempPath(), $"gitops-pipelines-tests-pwsh-{Version}");
        var pwsh = Path.Combine(toolPath, "pwsh");
        if (File.Exists(pwsh)) return pwsh;
        var installed = await new Command("dotnet")
            .WithArguments("tool", "install", "PowerShell", "--version", Version, "--tool-path", toolPath)
            .WithOutput(OutputMode.Quiet).WithTimeout(TimeSpan.FromMinutes(5)).ExecuteAsync();
        Assert.True(installed.Succeeded && File.Exists(pwsh),
            $"PowerShell {Version} could not be installed as a .NET tool (dotnet tool install PowerShell --version {Version} --tool-path {toolPath}), " +
            $"so build.ps1 cannot be run here; it needs nuget.org (or a feed serving the PowerShell package):\n{installed.StandardOutput}{installed.StandardError}");
        return pwsh;
    }
}
