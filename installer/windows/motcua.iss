; Inno Setup script for the Windows workstation installer.
; Build: iscc installer\windows\motcua.iss  (after PyInstaller produced dist\motcua)
; Not built or tested on this project's Linux CI: it needs Windows and Inno Setup.
#define AppVersion "0.1.0"

[Setup]
AppName=motcua — Bộ phận Một cửa
AppVersion={#AppVersion}
AppPublisher=motcua
DefaultDirName={autopf}\motcua
DefaultGroupName=motcua
OutputBaseFilename=motcua-setup-{#AppVersion}
ArchitecturesInstallIn64BitMode=x64compatible
ArchitecturesAllowed=x64compatible
Compression=lzma2
SolidCompression=yes
PrivilegesRequired=admin

[Languages]
Name: "vi"; MessagesFile: "compiler:Languages\Vietnamese.isl"
Name: "en"; MessagesFile: "compiler:Default.isl"

[Files]
Source: "..\..\dist\motcua\*"; DestDir: "{app}"; Flags: recursesubdirs ignoreversion

[Icons]
Name: "{group}\motcua"; Filename: "{app}\motcua.exe"; Parameters: "gui"
Name: "{group}\Màn hình gọi số"; Filename: "{app}\motcua.exe"; Parameters: "display-board"
Name: "{group}\Kiosk lấy số"; Filename: "{app}\motcua.exe"; Parameters: "kiosk"
Name: "{group}\Kiểm tra hệ thống"; Filename: "{cmd}"; Parameters: "/k ""{app}\motcua.exe"" self-test"

[Run]
Filename: "{app}\motcua.exe"; Parameters: "self-test"; Flags: runhidden postinstall skipifsilent; Description: "Kiểm tra hệ thống"
