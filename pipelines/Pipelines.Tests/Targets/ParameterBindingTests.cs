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

        _harness.Environment["PIPELINE_REGISTRY"] = "from-env:5000";
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
        _harness.Environment["PIPELINE_PUSH"] = "false";

        Assert.True((await Bind("--push")).Push);
        Assert.Equal(7, (await Bind("--rounds=7")).Rounds);
    }

    [Theory]
    [InlineData("--rounds", "three", "Parameter --rounds (command line): 'three' is not a whole number")]
    [InlineData("--push", "maybe", "Parameter --push: 'maybe' is not a boolean")]
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
        _harness.Environment["PIPELINE_ROUNDS"] = "lots";

        var exit = await _harness.RunAsync(new TestBuild(), "Test", "Test");

        Assert.Equal(BuildRunner.UsageError, exit);
        Assert.Contains("Parameter --rounds (environment variable PIPELINE_ROUNDS): 'lots' is not a whole number", _harness.Text);
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
    [InlineData("0", 0)]
    [InlineData("90s", 90)]
    [InlineData("5m", 300)]
    [InlineData("1h30m", 5400)]
    [InlineData("00:05:00", 300)]
    [InlineData("1.5m", 90)]
    public void Durations_accept_the_usual_forms(string text, int seconds)
    {
        Assert.Equal(TimeSpan.FromSeconds(seconds), ParameterConverter.ParseDuration(text));
    }

    [Fact]
    public async Task A_boolean_parameter_given_a_word_that_is_no_boolean_names_the_parameter_not_an_unknown_target()
    {
        var exit = await _harness.RunAsync(new TestBuild(), "Test", ["Test", "--push", "maybe"]);

        Assert.Equal(BuildRunner.UsageError, exit);
        Assert.Contains("Parameter --push: 'maybe' is not a boolean; expected true or false", _harness.Text);
        Assert.DoesNotContain("Unknown target", _harness.Text);
    }

    [Fact]
    public async Task A_boolean_flag_followed_by_a_target_still_means_true()
    {
        var build = new TestBuild();
        var exit = await _harness.RunAsync(build, "Test", ["--push", "Test"]);

        Assert.True(exit == 0, _harness.Text);
        Assert.True(build.Push);
        Assert.Contains("Test", build.Ran);
    }

    [Fact]
    public async Task A_duration_without_a_unit_is_refused_with_a_suggestion()
    {
        var exit = await _harness.RunAsync(new TestBuild(), "Test", ["Test", "--scan-timeout", "5"]);

        Assert.Equal(BuildRunner.UsageError, exit);
        Assert.Contains("Parameter --scan-timeout (command line): '5' has no unit: did you mean 5m?", _harness.Text);
    }

    [Fact]
    public async Task A_value_that_starts_with_a_dash_is_taken_when_the_parameter_needs_a_value()
    {
        const string pem = "-----BEGIN ENCRYPTED SIGSTORE PRIVATE KEY-----\nabc\n-----END ENCRYPTED SIGSTORE PRIVATE KEY-----";
        var build = await Bind("--registry-password", pem, "--say", "-x");

        Assert.Equal(pem, build.RegistryPassword);
        Assert.Equal("-x", build.Say);
    }

    [Theory]
    [InlineData("--push")]
    [InlineData("--fresh")]
    [InlineData("--skip")]
    public async Task A_parameter_followed_by_another_option_says_it_needs_a_value(string next)
    {
        var exit = await _harness.RunAsync(new TestBuild(), "Test", ["Test", "--say", next]);

        Assert.Equal(BuildRunner.UsageError, exit);
        Assert.Contains("Parameter --say needs a value: --say <value> (or --say=<value>", _harness.Text);
    }

    [Fact]
    public async Task Generic_environment_variables_bind_nothing_only_the_prefixed_names_do()
    {
        _harness.Environment["REGISTRY"] = "unrelated:5000";
        _harness.Environment["PUSH"] = "false";

        var build = await Bind();

        Assert.Equal("127.0.0.1:5000", build.Registry);
        Assert.True(build.Push);
    }

    [Fact]
    public async Task An_ecosystem_name_binds_its_parameter_after_the_prefixed_name_and_help_shows_both()
    {
        _harness.Environment["GITHUB_TOKEN"] = "from-actions";
        Assert.Equal("from-actions", (await Bind()).GithubToken);
        _harness.Environment["PIPELINE_GITHUB_TOKEN"] = "from-pipeline";
        Assert.Equal("from-pipeline", (await Bind()).GithubToken);

        await _harness.RunAsync(new TestBuild(), "Test", "--help");
        Assert.Contains("--github-token <string>  [env PIPELINE_GITHUB_TOKEN, GITHUB_TOKEN]", _harness.Text);
        Assert.Contains("[env PIPELINE_REGISTRY]", _harness.Text);
    }

    private sealed class SecretNumberBuild : PipelineBuild
    {
        [Parameter("A PIN"), Secret]
        public readonly int Pin;

        public Target Go => _ => _.Executes(() => { });
    }
}
