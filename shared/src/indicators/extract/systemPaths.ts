/**
 * Paths every machine has: standard system programs in their standard folders and well-known system
 * files. Reports name them when malware reads, replaces or imitates them; as indicators they would
 * match every host, so they come flagged (one click keeps one). A copy elsewhere (C:\Users\Public\
 * svchost.exe, /tmp/sshd) is not flagged: that is the classic sign.
 */
const PROGRAMS = new Set(
  (
    'sh bash dash zsh ls ps cat cp mv rm true false sync hostname login su sudo passwd id uname kill ' +
    'netstat ss ip ifconfig curl wget ssh sshd scp sftp-server python python3 perl crond cron atd anacron ' +
    'acpid arpd auditd rsyslogd syslogd udevd systemd systemd-udevd systemd-journald init named dbus-daemon ' +
    'cmd.exe powershell.exe pwsh.exe reg.exe regsvr32.exe rundll32.exe svchost.exe lsass.exe csrss.exe ' +
    'winlogon.exe services.exe explorer.exe taskhostw.exe schtasks.exe wmic.exe mshta.exe cscript.exe ' +
    'wscript.exe certutil.exe bitsadmin.exe msiexec.exe net.exe net1.exe sc.exe vssadmin.exe conhost.exe ' +
    'dllhost.exe spoolsv.exe smss.exe wininit.exe notepad.exe ntoskrnl.exe'
  ).split(' '),
);

const SYSTEM_DIRS =
  /^(?:\/(?:usr\/(?:local\/)?)?s?bin|\/usr\/lib\/systemd|\/usr\/libexec(?:\/openssh)?|(?:[a-z]:|%systemroot%|%windir%)(?:\\windows)?\\(?:system32|syswow64)|[a-z]:\\windows)$/i;

const FILES = new Set([
  '/dev/null',
  '/dev/zero',
  '/dev/random',
  '/dev/urandom',
  '/dev/tty',
  '/etc/passwd',
  '/etc/shadow',
  '/etc/group',
  '/etc/hosts',
  '/etc/resolv.conf',
  '/etc/ld.so.preload',
  '/etc/crontab',
  '/etc/ssh/sshd_config',
  '/etc/ssh/ssh_config',
  '/etc/ssh/ssh_known_hosts',
  '/var/log/utmp',
  '/var/log/wtmp',
  '/var/log/btmp',
  '/var/log/lastlog',
  '/var/run/utmp',
  '/var/log/messages',
  '/var/log/syslog',
  '/var/log/secure',
  '/var/log/auth.log',
  '/usr/include/pwd.h',
  '/proc/net/unix',
  '/proc/net/tcp',
  '/proc/self/exe',
  '/proc/cpuinfo',
  '/proc/meminfo',
  '/proc/version',
]);

/** Standard folders (FHS, macOS, Windows): the folder itself is not evidence, a name made in it may be. */
const FOLDERS = new Set([
  '/usr/lib',
  '/usr/lib64',
  '/usr/local',
  '/usr/local/bin',
  '/usr/local/lib',
  '/usr/share',
  '/usr/include',
  '/usr/bin',
  '/usr/sbin',
  '/var/lib',
  '/var/log',
  '/var/tmp',
  '/var/run',
  '/var/spool',
  '/var/cache',
  '/var/www',
  '/lib/tls',
  '/lib64/tls',
  '/lib/modules',
  '/etc/init.d',
  '/etc/cron.d',
  '/etc/cron.daily',
  '/etc/cron.hourly',
  '/etc/ssh',
  '/etc/systemd/system',
  '/dev/shm',
  '/library/launchagents',
  '/library/launchdaemons',
  '/library/application support',
  '~/library/launchagents',
  '~/library/application support',
]);

/** Why a path is one every machine has, or undefined. */
export function systemPathReason(path: string): string | undefined {
  const p = path.replace(/[\\/]+$/, '');
  if (FILES.has(p)) return 'a standard system file';
  if (FOLDERS.has(p.toLowerCase())) return 'a standard system folder';
  const cut = Math.max(p.lastIndexOf('/'), p.lastIndexOf('\\'));
  const dir = p.slice(0, cut);
  const leaf = p.slice(cut + 1).toLowerCase();
  if (PROGRAMS.has(leaf) && SYSTEM_DIRS.test(dir)) return 'a standard system program in its usual folder';
  // A placeholder is a pattern, not a path: /proc/$pid/exe, /proc/{}/exe, C:\Users\<user>\...
  if (/\$\w|\{\}|<\w+>/.test(p) && /^\/(?:proc|dev|sys)\//.test(p)) return 'a pattern with a placeholder, not one path';
  // The pseudo-filesystems describe the running system; only a name malware made there is evidence.
  if (/^\/proc\/(?:self|\d+|\$\w+|\{\})\//.test(p)) return 'a process file every machine has';
  return undefined;
}
