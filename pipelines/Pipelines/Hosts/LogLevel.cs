namespace Pipelines.Hosts;

public enum LogLevel { Debug, Info, Warning, Error }
