<#
.SYNOPSIS
  Build the motcua Windows bundle and installer: PyInstaller one folder with Tesseract (vie + eng)
  inside, signed executables, an NSIS installer, signed and time-stamped, and the bundle's self-test.

.DESCRIPTION
  Run from a clone on a 64-bit Windows machine with Python 3.11+, NSIS 3 (makensis on PATH),
  a Tesseract 5 installation (UB-Mannheim build) and the Windows SDK's signtool.exe.
  This script cannot run on the project's Linux CI; there, tests/installer compiles the same
  motcua.nsi with the Linux bundle as payload. The GitHub Actions workflow
  .github/workflows/windows-installer.yml runs this script on a Windows runner.

  Steps:
    1. build\venv: a clean virtual environment with the runtime dependencies of pyproject.toml
       and PyInstaller (no test tools);
    2. build\tesseract: tesseract.exe, its DLLs and tessdata\{vie,eng,osd}.traineddata copied from
       -TesseractDir (the vie and eng files must be there: the build stops otherwise);
    3. PyInstaller (installer\motcua.spec) with MOTCUA_TESSERACT_DIR: dist\motcua\motcua.exe;
    4. signtool: motcua.exe and tesseract.exe, SHA-256, RFC 3161 time stamp (-TimestampUrl);
    5. dist\motcua\motcua.exe self-test --json (fails the build when a required part is missing);
    6. makensis -> dist\motcua-setup-<version>.exe, signed and time-stamped the same way;
    7. signtool verify /pa on every signed file.

  The signing certificate comes from the environment, never from the repository:
    MOTCUA_SIGN_PFX_BASE64  the PFX file, base64 (a CI secret)
    MOTCUA_SIGN_PFX_PASSWORD its password (a CI secret)
  Without them (a developer's build) use -SkipSign.

.EXAMPLE
  powershell -ExecutionPolicy Bypass -File installer\windows\build.ps1 -TesseractDir "C:\Program Files\Tesseract-OCR"
.EXAMPLE
  powershell -File installer\windows\build.ps1 -SkipSign
#>
[CmdletBinding()]
param(
  [string]$TesseractDir = "C:\Program Files\Tesseract-OCR",
  # a folder with vi_VN.dic/.aff (hunspell-vi, e.g. the "vi" folder of LibreOffice's dictionaries)
  [string]$HunspellDir = "",
  [string]$TimestampUrl = "http://timestamp.digicert.com",
  [string]$Python = "python",
  [string]$PyInstallerVersion = "6.22.3",
  [switch]$SkipSign
)
$ErrorActionPreference = "Stop"
Set-StrictMode -Version Latest
$Root = (Resolve-Path "$PSScriptRoot\..\..").Path
Set-Location $Root
$Build = Join-Path $Root "build"
$Dist = Join-Path $Root "dist"
New-Item -ItemType Directory -Force $Build, $Dist | Out-Null

function Invoke-Checked([string]$Exe, [string[]]$Arguments) {
  & $Exe @Arguments
  if ($LASTEXITCODE -ne 0) { throw "$Exe $($Arguments -join ' ') failed with exit code $LASTEXITCODE" }
}

# 1. build environment
$Venv = Join-Path $Build "venv"
if (Test-Path $Venv) { Remove-Item -Recurse -Force $Venv }
Invoke-Checked $Python @("-m", "venv", $Venv)
$Py = Join-Path $Venv "Scripts\python.exe"
Invoke-Checked $Py @("-m", "pip", "install", "-q", "--upgrade", "pip", "wheel")
$deps = & $Py -c "import tomllib; print('\n'.join(tomllib.load(open('pyproject.toml','rb'))['project']['dependencies']))"
Invoke-Checked $Py (@("-m", "pip", "install", "-q", "pyinstaller==$PyInstallerVersion") + ($deps -split "`n" | Where-Object { $_ }))
$Version = (& $Py -c "import sys; sys.path.insert(0, '.'); from desktop import __version__; print(__version__)").Trim()
Invoke-Checked $Py @("installer\make_icon.py", (Join-Path $Build "icons"))

# 2. Tesseract with Vietnamese and English data, bundled
$Tess = Join-Path $Build "tesseract"
if (Test-Path $Tess) { Remove-Item -Recurse -Force $Tess }
New-Item -ItemType Directory -Force (Join-Path $Tess "tessdata") | Out-Null
Copy-Item (Join-Path $TesseractDir "*.exe"), (Join-Path $TesseractDir "*.dll") $Tess
foreach ($lang in "vie", "eng", "osd") {
  $data = Join-Path $TesseractDir "tessdata\$lang.traineddata"
  if (-not (Test-Path $data)) { throw "Tesseract data $lang.traineddata not found in $TesseractDir\tessdata" }
  Copy-Item $data (Join-Path $Tess "tessdata")
}

# 2b. the Vietnamese syllable list of the OCR post-correction (no package provides it on Windows)
if ($HunspellDir) {
  if (-not (Test-Path (Join-Path $HunspellDir "vi_VN.dic"))) { throw "vi_VN.dic not found in $HunspellDir" }
  $Hun = Join-Path $Build "hunspell"
  if (Test-Path $Hun) { Remove-Item -Recurse -Force $Hun }
  New-Item -ItemType Directory -Force $Hun | Out-Null
  Copy-Item (Join-Path $HunspellDir "vi_VN.*") $Hun
  $env:MOTCUA_BUNDLE_HUNSPELL = $Hun
} else {
  Write-Warning "no -HunspellDir: the bundle has no Vietnamese syllable list (self-test will say so)"
}

# 3. PyInstaller
$env:MOTCUA_TESSERACT_DIR = $Tess
$env:MOTCUA_ICON_DIR = Join-Path $Build "icons"
Invoke-Checked $Py @("-m", "PyInstaller", "--noconfirm", "--log-level", "WARN", "--distpath", $Dist,
                     "--workpath", (Join-Path $Build "pyinstaller"), "installer\motcua.spec")
$App = Join-Path $Dist "motcua"
$Exe = Join-Path $App "motcua.exe"
foreach ($rel in "_internal\resources\i18n\main_vi.qm", "_internal\resources\i18n\qtbase_vi.qm",
                 "_internal\tesseract\tessdata\vie.traineddata", "_internal\desktop\migrations\env.py") {
  if (-not (Test-Path (Join-Path $App $rel))) { throw "missing from the bundle: $rel" }
}

# 4. signing (certificate from the environment; a temporary PFX file removed at the end)
$Pfx = $null
function Sign-File([string]$Path) {
  if ($SkipSign) { return }
  Invoke-Checked "signtool.exe" @("sign", "/fd", "SHA256", "/f", $Pfx, "/p", $env:MOTCUA_SIGN_PFX_PASSWORD,
                                  "/tr", $TimestampUrl, "/td", "SHA256", "/d", "motcua", $Path)
}
try {
  if (-not $SkipSign) {
    if (-not $env:MOTCUA_SIGN_PFX_BASE64) { throw "MOTCUA_SIGN_PFX_BASE64 is not set (or pass -SkipSign)" }
    $Pfx = Join-Path $env:RUNNER_TEMP "motcua-sign.pfx"
    if (-not $env:RUNNER_TEMP) { $Pfx = Join-Path $env:TEMP "motcua-sign.pfx" }
    [IO.File]::WriteAllBytes($Pfx, [Convert]::FromBase64String($env:MOTCUA_SIGN_PFX_BASE64))
  }
  Sign-File $Exe
  Sign-File (Join-Path $App "_internal\tesseract\tesseract.exe")

  # 5. the bundle's self-test (its JSON says which parts are missing)
  $report = & $Exe self-test --json | Out-String
  Write-Output $report
  if ($LASTEXITCODE -ne 0) { throw "motcua self-test failed" }
  if (-not (& $Exe --version).Contains($Version)) { throw "motcua --version does not say $Version" }

  # 6. installer
  $Setup = Join-Path $Dist "motcua-setup-$Version.exe"
  Push-Location "installer\windows"
  try {
    Invoke-Checked "makensis.exe" @("/V2", "/DVERSION=$Version", "/DPAYLOAD=$App", "/DICON_DIR=$($env:MOTCUA_ICON_DIR)",
                                    "/DOUTFILE=$Setup", "motcua.nsi")
  } finally { Pop-Location }
  Sign-File $Setup

  # 7. signatures check
  if (-not $SkipSign) {
    foreach ($f in $Exe, $Setup) { Invoke-Checked "signtool.exe" @("verify", "/pa", "/v", $f) }
  }
  Write-Output "==> $Setup"
} finally {
  if ($Pfx -and (Test-Path $Pfx)) { Remove-Item -Force $Pfx }
}
