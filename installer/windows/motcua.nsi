; motcua — Windows installer (NSIS 3, Unicode). Wraps the PyInstaller one-folder bundle.
;   makensis /DVERSION=0.1.0 /DPAYLOAD=..\..\dist\motcua /DICON_DIR=..\..\build\icons /DOUTFILE=..\..\dist\motcua-setup-0.1.0.exe motcua.nsi
; installer/windows/build.ps1 runs it on Windows; tests/installer compiles it on Linux with the
; Linux bundle as the payload (/DCHECK_ONLY: no compression), so its syntax and file lists are
; checked there. What it does on a workstation:
;   - per-machine install into Program Files (administrator rights), Start-menu shortcuts for
;     the application, the ticket kiosk, the display board and the self-test, for all users;
;   - refuses to install over a running motcua (files in use would be left half-replaced);
;   - an upgrade replaces the program files only: %PROGRAMDATA%\motcua (the workstation's
;     settings) and each user's data are kept, then `motcua db migrate` upgrades the
;     configured database (an SQLite file is backed up first; a centre's PostgreSQL is the
;     database the workstation file names, migrated by this administrator step);
;   - runs `motcua self-test` at the end and shows its report;
;   - the uninstaller removes the program and shortcuts and keeps all data.
Unicode true
ManifestDPIAware true
RequestExecutionLevel admin
!include "MUI2.nsh"
!include "x64.nsh"
!include "LogicLib.nsh"

!ifndef VERSION
  !define VERSION "0.0.0"
!endif
!ifndef PAYLOAD
  !error "PAYLOAD (the dist\motcua folder) must be given: /DPAYLOAD=..."
!endif
!ifndef OUTFILE
  !define OUTFILE "motcua-setup-${VERSION}.exe"
!endif
!define APP "motcua"
!define EXE "motcua.exe"
!define UNINST_KEY "Software\Microsoft\Windows\CurrentVersion\Uninstall\${APP}"
!define DATA_DIR "$COMMONPROGRAMDATA\${APP}"

Name "motcua — Bộ phận Một cửa ${VERSION}"
OutFile "${OUTFILE}"
InstallDir "$PROGRAMFILES64\${APP}"
InstallDirRegKey HKLM "Software\${APP}" "InstallDir"
!ifdef CHECK_ONLY
  SetCompress off
!else
  SetCompressor /SOLID lzma
!endif
VIProductVersion "${VERSION}.0"
VIAddVersionKey /LANG=0 "ProductName" "motcua"
VIAddVersionKey /LANG=0 "ProductVersion" "${VERSION}"
VIAddVersionKey /LANG=0 "FileVersion" "${VERSION}"
VIAddVersionKey /LANG=0 "FileDescription" "motcua — Bộ phận Một cửa (installer)"
VIAddVersionKey /LANG=0 "LegalCopyright" "motcua developers"

!ifdef ICON_DIR
  !define MUI_ICON "${ICON_DIR}\installer.ico"
  !define MUI_UNICON "${ICON_DIR}\installer.ico"
!endif
!define MUI_ABORTWARNING
!define MUI_FINISHPAGE_NOAUTOCLOSE
!insertmacro MUI_PAGE_DIRECTORY
!insertmacro MUI_PAGE_INSTFILES
!insertmacro MUI_PAGE_FINISH
!insertmacro MUI_UNPAGE_CONFIRM
!insertmacro MUI_UNPAGE_INSTFILES
!insertmacro MUI_LANGUAGE "Vietnamese"
!insertmacro MUI_LANGUAGE "English"

LangString RUNNING ${LANG_VIETNAMESE} "motcua đang chạy. Hãy đóng ứng dụng, kiosk và màn hình gọi số rồi bấm Thử lại."
LangString RUNNING ${LANG_ENGLISH} "motcua is running. Close the application, the kiosk and the display board, then press Retry."
LangString NOT64 ${LANG_VIETNAMESE} "motcua cần Windows 64-bit."
LangString NOT64 ${LANG_ENGLISH} "motcua needs 64-bit Windows."
LangString MIGRATE ${LANG_VIETNAMESE} "Nâng cấp cơ sở dữ liệu không thành công; xem báo cáo và chạy lại “motcua db migrate”."
LangString MIGRATE ${LANG_ENGLISH} "The database upgrade failed; see the report and run “motcua db migrate” again."
LangString SELFTEST ${LANG_VIETNAMESE} "Kiểm tra hệ thống báo thiếu thành phần; xem chi tiết trong danh sách."
LangString SELFTEST ${LANG_ENGLISH} "The self-test reports missing parts; see the details in the list."
LangString SC_APP ${LANG_VIETNAMESE} "motcua — Một cửa"
LangString SC_APP ${LANG_ENGLISH} "motcua — One-stop counter"
LangString SC_KIOSK ${LANG_VIETNAMESE} "Kiosk lấy số"
LangString SC_KIOSK ${LANG_ENGLISH} "Ticket kiosk"
LangString SC_BOARD ${LANG_VIETNAMESE} "Màn hình gọi số"
LangString SC_BOARD ${LANG_ENGLISH} "Display board"
LangString SC_TEST ${LANG_VIETNAMESE} "Kiểm tra hệ thống"
LangString SC_TEST ${LANG_ENGLISH} "Self-test"
LangString SC_UNINST ${LANG_VIETNAMESE} "Gỡ cài đặt motcua"
LangString SC_UNINST ${LANG_ENGLISH} "Uninstall motcua"

; a running motcua.exe (application, kiosk or display board) keeps its files locked
!macro WAIT_NOT_RUNNING ID
  retry_${ID}:
    nsExec::ExecToStack 'cmd.exe /c tasklist /FI "IMAGENAME eq ${EXE}" /NH | find /I "${EXE}"'
    Pop $0
    Pop $1
    ${If} $0 == 0
      MessageBox MB_RETRYCANCEL|MB_ICONEXCLAMATION "$(RUNNING)" IDRETRY retry_${ID}
      Abort
    ${EndIf}
!macroend

Function .onInit
  ${IfNot} ${RunningX64}
    MessageBox MB_ICONSTOP "$(NOT64)"
    Abort
  ${EndIf}
  SetRegView 64
  SetShellVarContext all
  !insertmacro WAIT_NOT_RUNNING install
FunctionEnd

Section "motcua" SecMain
  SectionIn RO
  SetShellVarContext all
  ; an upgrade: the old program files go (a module removed in the new version must not stay
  ; importable); data lives outside $INSTDIR and is not touched
  RMDir /r "$INSTDIR\_internal"
  SetOutPath "$INSTDIR"
  File /r "${PAYLOAD}\*.*"

  ; the workstation's settings file, only if there is none yet (an upgrade keeps the centre's)
  CreateDirectory "${DATA_DIR}"
  SetOutPath "${DATA_DIR}"
  SetOverwrite off
  File "/oname=motcua.toml" "..\motcua.toml.example"
  SetOverwrite on
  SetOutPath "$INSTDIR"

  WriteUninstaller "$INSTDIR\uninstall.exe"
  WriteRegStr HKLM "Software\${APP}" "InstallDir" "$INSTDIR"
  WriteRegStr HKLM "Software\${APP}" "Version" "${VERSION}"
  WriteRegStr HKLM "${UNINST_KEY}" "DisplayName" "motcua — Bộ phận Một cửa"
  WriteRegStr HKLM "${UNINST_KEY}" "DisplayVersion" "${VERSION}"
  WriteRegStr HKLM "${UNINST_KEY}" "Publisher" "motcua"
  WriteRegStr HKLM "${UNINST_KEY}" "DisplayIcon" "$INSTDIR\${EXE}"
  WriteRegStr HKLM "${UNINST_KEY}" "InstallLocation" "$INSTDIR"
  WriteRegStr HKLM "${UNINST_KEY}" "UninstallString" '"$INSTDIR\uninstall.exe"'
  WriteRegDWORD HKLM "${UNINST_KEY}" "NoModify" 1
  WriteRegDWORD HKLM "${UNINST_KEY}" "NoRepair" 1

  CreateDirectory "$SMPROGRAMS\motcua"
  CreateShortcut "$SMPROGRAMS\motcua\$(SC_APP).lnk" "$INSTDIR\${EXE}" "gui" "$INSTDIR\${EXE}" 0
  CreateShortcut "$SMPROGRAMS\motcua\$(SC_KIOSK).lnk" "$INSTDIR\${EXE}" "kiosk" "$INSTDIR\${EXE}" 0
  CreateShortcut "$SMPROGRAMS\motcua\$(SC_BOARD).lnk" "$INSTDIR\${EXE}" "display-board" "$INSTDIR\${EXE}" 0
  CreateShortcut "$SMPROGRAMS\motcua\$(SC_TEST).lnk" "$SYSDIR\cmd.exe" '/k ""$INSTDIR\${EXE}" self-test"'
  CreateShortcut "$SMPROGRAMS\motcua\$(SC_UNINST).lnk" "$INSTDIR\uninstall.exe"

  ; migrations of the configured database (SQLite: backed up first by `db migrate`)
  DetailPrint "motcua db migrate"
  nsExec::ExecToLog '"$INSTDIR\${EXE}" db migrate'
  Pop $0
  ${If} $0 != 0
    DetailPrint "$(MIGRATE)"
  ${EndIf}
  DetailPrint "motcua self-test"
  nsExec::ExecToLog '"$INSTDIR\${EXE}" self-test'
  Pop $0
  ${If} $0 != 0
    DetailPrint "$(SELFTEST)"
  ${EndIf}
SectionEnd

Function un.onInit
  SetRegView 64
  SetShellVarContext all
  !insertmacro WAIT_NOT_RUNNING uninstall
FunctionEnd

Section "Uninstall"
  SetShellVarContext all
  ; the program only: ${DATA_DIR} (settings) and the users' data folders stay
  RMDir /r "$SMPROGRAMS\motcua"
  RMDir /r "$INSTDIR\_internal"
  Delete "$INSTDIR\${EXE}"
  Delete "$INSTDIR\uninstall.exe"
  RMDir "$INSTDIR"
  DeleteRegKey HKLM "${UNINST_KEY}"
  DeleteRegKey HKLM "Software\${APP}"
SectionEnd
