using Pipelines.Processes;
using Pipelines.Tests.Support;

namespace Pipelines.Tests.Generators;

/// <summary>The npm validators CI installs from .ci/npm-tools.txt into .ci/node (found there or on PATH).</summary>
internal static class NpmTools
{
    public static Command Find(string tool)
    {
        var local = System.IO.Path.Combine(TestPaths.RepositoryRoot, ".ci", "node", "node_modules", ".bin", tool);
        var path = File.Exists(local) ? local : Command.Resolve(tool);
        if (path is null)
            Assert.Fail($"{tool} is not installed. Run .ci/run's npm step: mkdir -p .ci/node && cd .ci/node && npm install --no-audit --no-fund $(cat ../npm-tools.txt)");
        return new Command(path!).WithOutput(OutputMode.Quiet).WithTimeout(TimeSpan.FromMinutes(2));
    }
}
