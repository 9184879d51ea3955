using Pipelines.Containers;
using Pipelines.Tests.Support;

namespace Pipelines.Tests.Containers;

public sealed class PublishInputsSpecs : IDisposable
{
    private readonly TempDirectory _root = new("publish-inputs");

    public PublishInputsSpecs()
    {
        Write("src/App/App.csproj", """<Project><ItemGroup><ProjectReference Include="..\Lib\Lib.csproj" /></ItemGroup></Project>""");
        Write("src/App/Program.cs", "class P {}");
        Write("src/Lib/Lib.csproj", "<Project />");
        Write("src/Lib/Code.cs", "class L {}");
        Write("global.json", """{"sdk":{"version":"10.0.100"}}""");
    }

    public void Dispose() => _root.Dispose();

    private void Write(string relative, string text)
    {
        var path = _root.Combine(relative.Split('/'));
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
    }

    private string? Hash(params string[] arguments) => PublishInputs.Hash(_root.Path, "src/App/App.csproj", arguments.Length == 0 ? ["publish"] : arguments);

    [Fact]
    public void The_hash_is_stable_while_nothing_publish_reads_changes()
    {
        var before = Hash();
        Write("src/App/bin/Release/App.dll", "binary");
        Write("src/App/obj/project.assets.json", "{}");

        Assert.Equal(before, Hash());
    }

    [Theory]
    [InlineData("src/App/Program.cs")]
    [InlineData("src/Lib/Code.cs")]
    [InlineData("global.json")]
    [InlineData("src/Directory.Build.props")]
    public void A_change_to_the_project_a_referenced_project_or_the_sdk_pin_changes_the_hash(string file)
    {
        var before = Hash();

        Write(file, "changed");

        Assert.NotEqual(before, Hash());
    }

    [Fact]
    public void Other_publish_arguments_change_the_hash()
    {
        Assert.NotEqual(Hash("publish", "-r", "linux-x64"), Hash("publish", "-r", "linux-arm64"));
    }

    [Theory]
    [InlineData("""<Project><ItemGroup><ProjectReference Include="$(Root)/Lib/Lib.csproj" /></ItemGroup></Project>""")]
    [InlineData("""<Project><Import Project="../common.props" /></Project>""")]
    [InlineData("""<Project><ItemGroup><ProjectReference Condition="true" Include='../Missing/Missing.csproj' /></ItemGroup></Project>""")]
    public void A_project_whose_inputs_cannot_be_known_for_sure_always_publishes(string project)
    {
        Write("src/App/App.csproj", project);

        Assert.Null(Hash());
    }
}
