using Pipelines.Targets;

namespace Pipelines.Tests.Targets;

public class ParameterBindingTests : IDisposable
{
    private readonly BuildHarness _harness = new();

    public void Dispose() => _harness.Dispose();

    private async Task<TestBuild> Bind(params string[] args)
    {
        var build = new TestBuild();
        var exit = await _harness.RunAsync(build, "Test", ["Test", .. args]);
        Assert.True(exit == 0, _harness.Text);
        return build;
    }

    [Fact]
    public async Task The_command_line_wins_over_the_environment_which_wins_over_the_default()
    {
        Assert.Equal("127.0.0.1:5000", (await Bind()).Registry);

        _harness.Environment["REGISTRY"] = "from-env:5000";
        Assert.Equal("from-env:5000", (await Bind()).Registry);
        Assert.Equal("from-cli:5000", (await Bind("--registry", "from-cli:5000")).Registry);
    }

    [Fact]
    public async Task Every_supported_type_converts()
    {
        var build = await Bind("--push", "false", "--rounds", "3", "--flavour", "SPICY", "--build-args", "A=1, B=2", "--scan-timeout", "1h30m");

        Assert.False(build.Push);
        Assert.Equal(3, build.Rounds);
        Assert.Equal(Flavour.Spicy, build.Flavour);
        Assert.Equal(["A=1", "B=2"], build.BuildArgs);
        Assert.Equal(TimeSpan.FromMinutes(90), build.ScanTimeout);
    }

    [Fact]
    public async Task A_bare_boolean_flag_means_true_and_an_equals_sign_is_accepted()
    {
        _harness.Environment["PUSH"] = "false";

        Assert.True((await Bind("--push")).Push);
        Assert.Equal(7, (await Bind("--rounds=7")).Rounds);
    }

    [Theory]
    [InlineData("--rounds", "three", "Parameter --rounds (command line): 'three' is not a whole number")]
    [InlineData("--push", "maybe", "Unknown target 'maybe'")]
    [InlineData("--flavour", "sour", "expected plain, spicy")]
    [InlineData("--scan-timeout", "soon", "expected a form such as 90s, 5m, 1h30m or 00:05:00")]
    public async Task A_value_that_does_not_convert_names_the_parameter_and_the_expected_form(string option, string value, string message)
    {
        var exit = await _harness.RunAsync(new TestBuild(), "Test", "Test", option, value);

        Assert.Equal(BuildRunner.UsageError, exit);
        Assert.Contains(message, _harness.Text);
    }

    [Fact]
    public async Task A_bad_value_from_the_environment_names_the_variable()
    {
        _harness.Environment["ROUNDS"] = "lots";

        var exit = await _harness.RunAsync(new TestBuild(), "Test", "Test");

        Assert.Equal(BuildRunner.UsageError, exit);
        Assert.Contains("Parameter --rounds (environment variable ROUNDS): 'lots' is not a whole number", _harness.Text);
    }

    [Fact]
    public async Task A_bad_secret_value_is_not_echoed()
    {
        var exit = await _harness.RunAsync(new SecretNumberBuild(), "Go", "--pin", "12ab34");

        Assert.Equal(BuildRunner.UsageError, exit);
        Assert.Contains("'***' is not a whole number", _harness.Text);
        Assert.DoesNotContain("12ab34", _harness.Text);
    }

    [Theory]
    [InlineData("RegistryUrl", "registry-url", "REGISTRY_URL")]
    [InlineData("GitHubToken", "git-hub-token", "GIT_HUB_TOKEN")]
    [InlineData("OIDCToken", "oidc-token", "OIDC_TOKEN")]
    [InlineData("Sha256Digest", "sha256-digest", "SHA256_DIGEST")]
    public void Member_names_become_kebab_case_options_and_upper_snake_variables(string member, string cli, string env)
    {
        Assert.Equal(cli, ParameterDescriptor.ToKebab(member));
        Assert.Equal(env, ParameterDescriptor.ToKebab(member).Replace('-', '_').ToUpperInvariant());
    }

    [Theory]
    [InlineData("90", 90)]
    [InlineData("90s", 90)]
    [InlineData("5m", 300)]
    [InlineData("1h30m", 5400)]
    [InlineData("00:05:00", 300)]
    [InlineData("1.5m", 90)]
    public void Durations_accept_the_usual_forms(string text, int seconds)
    {
        Assert.Equal(TimeSpan.FromSeconds(seconds), ParameterConverter.ParseDuration(text));
    }

    private sealed class SecretNumberBuild : PipelineBuild
    {
        [Parameter("A PIN"), Secret]
        public readonly int Pin;

        public Target Go => _ => _.Executes(() => { });
    }
}
