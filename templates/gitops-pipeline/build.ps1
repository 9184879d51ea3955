#!/usr/bin/env pwsh
# Bootstrap: find (or install) the .NET SDK that global.json names, compile build/ (which references the
# GitOps.Pipelines package) when its sources changed, and run it with the arguments. Works from any directory
# and with spaces in paths.
$ErrorActionPreference = 'Stop'

$Root = $PSScriptRoot
$BuildProject = Join-Path $Root 'build/Build.csproj'
$OutDir = Join-Path $Root '.build/bin'
$Stamp = Join-Path $Root '.build/sources.sha1'
$LocalDotnetDir = Join-Path $Root '.dotnet'

$env:DOTNET_CLI_TELEMETRY_OPTOUT = '1'
$env:DOTNET_NOLOGO = '1'
$env:DOTNET_SKIP_FIRST_TIME_EXPERIENCE = '1'
$env:PIPELINE_ROOT = $Root

function Get-SourcesHash {
    $paths = @('build') | ForEach-Object { Join-Path $Root $_ }
    $files = Get-ChildItem -Path $paths -Recurse -File -Include '*.cs', '*.csproj', '*.props', '*.targets', '*.json' |
        Where-Object { $_.FullName -notmatch '[\\/](bin|obj)[\\/]' }
    $files += Get-Item (Join-Path $Root 'global.json')
    $sha = [System.Security.Cryptography.SHA1]::Create()
    $lines = $files | Sort-Object { $_.FullName.Substring($Root.Length).Replace('\', '/') } -CaseSensitive |
        ForEach-Object { (Get-FileHash -Algorithm SHA1 $_.FullName).Hash }
    $bytes = [System.Text.Encoding]::UTF8.GetBytes(($lines -join "`n"))
    return ([System.BitConverter]::ToString($sha.ComputeHash($bytes))).Replace('-', '').ToLowerInvariant()
}

function Find-Dotnet {
    $local = Join-Path $LocalDotnetDir ($(if ($IsWindows -or $env:OS -eq 'Windows_NT') { 'dotnet.exe' } else { 'dotnet' }))
    if (Test-Path $local) { return $local }
    $command = Get-Command dotnet -ErrorAction SilentlyContinue
    if ($command) { return $command.Source }
    return $null
}

$Dotnet = Find-Dotnet
$Hash = Get-SourcesHash
$BuildDll = Join-Path $OutDir 'Build.dll'

# Fast path: a compiled build that matches the sources runs directly, with no MSBuild at all.
if ($Dotnet -and (Test-Path $BuildDll) -and (Test-Path $Stamp) -and ((Get-Content $Stamp -Raw).Trim() -eq $Hash)) {
    & $Dotnet $BuildDll @args
    exit $LASTEXITCODE
}

Push-Location $Root
try {
    $satisfied = $false
    if ($Dotnet) { & $Dotnet --version *> $null; $satisfied = ($LASTEXITCODE -eq 0) }
} finally { Pop-Location }

if (-not $satisfied) {
    $version = (Get-Content (Join-Path $Root 'global.json') -Raw | ConvertFrom-Json).sdk.version
    Write-Host "Installing .NET SDK $version into $LocalDotnetDir (this step needs the internet)..."
    New-Item -ItemType Directory -Force -Path $LocalDotnetDir | Out-Null
    if ($IsWindows -or $env:OS -eq 'Windows_NT') {
        $installer = Join-Path $LocalDotnetDir 'dotnet-install.ps1'
        Invoke-WebRequest 'https://dot.net/v1/dotnet-install.ps1' -OutFile $installer
        & $installer -Version $version -InstallDir $LocalDotnetDir -NoPath
    } else {
        $installer = Join-Path $LocalDotnetDir 'dotnet-install.sh'
        Invoke-WebRequest 'https://dot.net/v1/dotnet-install.sh' -OutFile $installer
        & bash $installer --version $version --install-dir $LocalDotnetDir --no-path
    }
    $Dotnet = Find-Dotnet
}

New-Item -ItemType Directory -Force -Path (Join-Path $Root '.build') | Out-Null
$log = & $Dotnet build $BuildProject --configuration Release --output $OutDir -nologo -verbosity:quiet -clp:NoSummary 2>&1
if ($LASTEXITCODE -ne 0) {
    $log | Write-Host
    Write-Error 'The build project did not compile (see above).'
    exit 1
}
Set-Content -Path $Stamp -Value $Hash -NoNewline

& $Dotnet $BuildDll @args
exit $LASTEXITCODE
