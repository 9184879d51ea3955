using Linkcheck;
using Microsoft.Extensions.Hosting;

var log = new EventLog(Console.Out);
LinkcheckSettings settings;
try
{
    settings = LinkcheckSettings.FromEnvironment(Environment.GetEnvironmentVariable);
}
catch (SettingsException e)
{
    // Nothing has started yet: one line saying what to fix, and exit 2 (Kubernetes shows CrashLoopBackOff).
    log.Write("invalid-settings", json => json.WriteString("error", e.Message));
    return 2;
}

using var host = LinkcheckApp.Create(settings, Console.Out);
await host.RunAsync();
return Environment.ExitCode;
