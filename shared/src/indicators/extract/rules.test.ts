/** Each class of the extractor with what it must take and what it must leave (issue 17). */
import { describe, expect, it } from 'vitest';
import { extractIndicators } from './index.js';
import { isBase58CheckBtc } from './base58check.js';

const found = (text: string) => extractIndicators(text).candidates.map((c) => `${c.type}:${c.value}`);
const ONION = 'duckduckgogg42xjoc72x3sjasowoarfbgcmvfimaftt6twagswzczad';

describe('onion and less common TLDs', () => {
  it('takes v3 onion addresses and hosts under tor gateways', () => {
    expect(found(`leak site ${ONION}.onion (mirror ${ONION}.onion.ly)`)).toEqual([`domain:${ONION}.onion`, `hostname:${ONION}.onion.ly`]);
  });
  it('takes names under newer TLDs, not words with a dot', () => {
    expect(found('C2 login-verify.bond and pay.lat; see e.g. the log.txt')).toEqual(['domain:login-verify.bond', 'domain:pay.lat']);
  });
});

describe('Bitcoin', () => {
  it('takes base58 legacy and P2SH addresses with a valid checksum, and bech32', () => {
    const text = 'pay 1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa or 3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLy or bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq';
    expect(found(text)).toEqual(['btc:1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa', 'btc:3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLy', 'btc:bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq']);
  });
  it('refuses a base58 run whose checksum is wrong (one character changed, or a random word)', () => {
    expect(isBase58CheckBtc('1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa')).toBe(true);
    expect(isBase58CheckBtc('1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNb')).toBe(false);
    expect(found('1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNb 3ProcessHollowingInjectionTechniqueX')).toEqual([]);
  });
});

describe('paths', () => {
  it('takes Windows paths with a variable, a drive with spaces in folders, and UNC shares', () => {
    const text = [
      'dropped %APPDATA%\\Microsoft\\Update\\svchost.exe and %LOCALAPPDATA%\\Temp\\a.dll,',
      'copied to \\\\fs01\\share$\\tools\\psexec.exe then ran C:\\Program Files (x86)\\Common Files\\up.exe now.',
    ].join('\n');
    expect(found(text)).toEqual([
      'filepath:%APPDATA%\\Microsoft\\Update\\svchost.exe',
      'filepath:%LOCALAPPDATA%\\Temp\\a.dll',
      'filepath:\\\\fs01\\share$\\tools\\psexec.exe',
      'filepath:C:\\Program Files (x86)\\Common Files\\up.exe',
    ]);
  });
  it('takes macOS and Linux malware paths, and not the "a/b" of prose', () => {
    const text =
      'plist ~/Library/LaunchAgents/com.apple.upd.plist, /Library/Application Support/x, miner in /var/tmp/.X11/xmr and /dev/shm/.k; cron /etc/cron.d/sysupd. TCP/IP and/or w/o client/server';
    expect(found(text)).toEqual([
      'filepath:~/Library/LaunchAgents/com.apple.upd.plist',
      'filepath:/Library/Application Support/x',
      'filepath:/var/tmp/.X11/xmr',
      'filepath:/dev/shm/.k',
      'filepath:/etc/cron.d/sysupd',
    ]);
  });
});

describe('registry keys', () => {
  it('takes keys with spaces in their folders and a CLSID with both braces', () => {
    const text = [
      'HKLM\\SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion\\Winlogon was changed;',
      'HKCU\\Software\\Microsoft\\Windows\\CurrentVersion\\Shell Extensions\\Approved\\{F3A2C1B0-1234-4D5E-8F90-ABCDEF012345}.',
    ].join('\n');
    expect(found(text)).toEqual([
      'regkey:HKLM\\SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion\\Winlogon',
      'regkey:HKCU\\Software\\Microsoft\\Windows\\CurrentVersion\\Shell Extensions\\Approved\\{F3A2C1B0-1234-4D5E-8F90-ABCDEF012345}',
    ]);
  });
});

describe('addresses', () => {
  it('keeps the address as the value and the port as context: one indicator with and without the port', () => {
    const { candidates } = extractIndicators('C2 198.51.100.20:8443, later 198.51.100.20 and [2001:db8::5]:443');
    expect(candidates.map((c) => [c.type, c.value, c.port, c.count])).toEqual([
      ['ip-dst', '2001:db8::5', 443, 1],
      ['ip-dst', '198.51.100.20', 8443, 2],
    ]);
  });
  it('does not take versions or dotted numbers in longer runs for addresses', () => {
    expect(found('version 4.1.0.2, v10.0.19041.1, build 6.1.7601.2, OID 1.3.6.1.4.1.311 and Ver: 2.0.0.1')).toEqual([]);
    expect(found('"Mozilla/5.0 (Windows NT 10.0) Chrome/124.0.0.0 Safari/537.36", OpenSSH_7.4.1.2')).toEqual([]);
  });
  it('takes real addresses after other words', () => {
    expect(found('seen from 45.9.148.108 (victim 81.2.3.4)')).toEqual(['ip-dst:45.9.148.108', 'ip-dst:81.2.3.4']);
  });
  it('refuses colon-hex runs that are not IPv6 (MAC addresses, times, C++ scopes)', () => {
    expect(found('MAC 00:1a:2b:3c:4d:5e at 10:20:30, std::string, de:ad:be:ef')).toEqual([]);
  });
  it('takes IPv6 networks', () => {
    expect(found('range 2a03:2880::/29')).toEqual(['cidr:2a03:2880::/29']);
  });
});

describe('file names and scheme-less URLs', () => {
  it('takes archive names with a TLD-like extension as file names, not domains', () => {
    expect(found('unpack setup-v5.60.final.zip and 2.4.1.zip, then invoice_2024.pdf.exe')).toEqual([
      'filename:setup-v5.60.final.zip',
      'filename:2.4.1.zip',
      'filename:invoice_2024.pdf.exe',
    ]);
  });
  it('keeps scheme-less URLs with a path as URLs, with the path as context', () => {
    const { candidates } = extractIndicators('GET www.example.top/x/y.php?id=1 and 203.0.113.9:8080/gate.php');
    expect(candidates.map((c) => [c.type, c.value, c.path])).toEqual([
      ['url', 'http://203.0.113.9:8080/gate.php', '/gate.php'],
      ['url', 'http://www.example.top/x/y.php?id=1', '/x/y.php?id=1'],
    ]);
  });
  it('a name followed by a bare slash is still a name', () => {
    expect(found('see evil-cdn.top/ for more')).toEqual(['domain:evil-cdn.top']);
  });
});

describe('e-mail and hashes', () => {
  it('takes e-mail addresses, not a part of a dotted run', () => {
    expect(found('from a.b-c@mail.evil.ru and x@y')).toEqual(['email:a.b-c@mail.evil.ru']);
  });
  it('takes hashes only as whole hex runs of a hash length', () => {
    expect(found(`${'a'.repeat(32)} ${'b'.repeat(40)} ${'c'.repeat(64)} ${'d'.repeat(33)} ${'e'.repeat(129)}`)).toEqual([
      `md5:${'a'.repeat(32)}`,
      `sha1:${'b'.repeat(40)}`,
      `sha256:${'c'.repeat(64)}`,
    ]);
  });
});

describe('context', () => {
  it('keeps the line each value came from, as pasted (defanged), cut to 200 characters', () => {
    const long = `${'x '.repeat(300)}C2 evil-host[.]top here ${'y '.repeat(300)}`;
    const { candidates } = extractIndicators(`first line\n  beacon to hxxp://bad[.]top/a  \n${long}\n`);
    expect(candidates.find((c) => c.type === 'url')!.line).toBe('beacon to hxxp://bad[.]top/a');
    const line = candidates.find((c) => c.value === 'evil-host.top')!.line!;
    expect(line).toContain('C2 evil-host[.]top here');
    expect(line.length).toBeLessThanOrEqual(202);
  });
  it('keeps the first line a repeated value was seen on', () => {
    const { candidates } = extractIndicators('one 8.8.4.4\ntwo 8.8.4.4');
    expect(candidates[0]).toMatchObject({ value: '8.8.4.4', count: 2, line: 'one 8.8.4.4' });
  });
});

describe('values that are not evidence', () => {
  const offered = (text: string) =>
    extractIndicators(text)
      .candidates.filter((c) => !c.benign && !c.error)
      .map((c) => `${c.type}:${c.value}`);
  const flagged = (text: string) => Object.fromEntries(extractIndicators(text).candidates.map((c) => [c.value, c.benign ?? '']));

  it('reads antivirus detection names and shared libraries as such, not as domains', () => {
    expect(offered('detected as Win32/Korplug.RU, Linux/SSHDoor.AE and plugin|Win32/Turla.BZ; loads libkeyutils.so and mod_env.so')).toEqual([
      'filename:libkeyutils.so',
      'filename:mod_env.so',
    ]);
  });
  it('flags links and hashes on comment lines, and reference lists, with the reason', () => {
    const text = [
      '# Operation X https://report-site.top/x1v7mT',
      '# 0c2674c3a97c53082187d930efb645c2;commented out',
      '45.9.148.108',
      'references:',
      '    - https://some-blog.top/2019/x/',
      'level: high',
    ].join('\n');
    expect(offered(text)).toEqual(['ip-dst:45.9.148.108']);
    const why = flagged(text);
    expect(why['https://report-site.top/x1v7mT']).toMatch(/comment line/);
    expect(why['0c2674c3a97c53082187d930efb645c2']).toMatch(/commented out/);
    expect(why['https://some-blog.top/2019/x/']).toMatch(/reference/);
  });
  it('a hash commented out and also listed live is evidence, also when the two are in different chunks of a large paste', () => {
    expect(offered(`# ${'a'.repeat(32)}\n${'a'.repeat(32)}`)).toEqual([`md5:${'a'.repeat(32)}`]);
    const far = `# ${'a'.repeat(32)}\n${'filler line\n'.repeat(100)}${'a'.repeat(32)}\n`;
    const { candidates } = extractIndicators(far, { chunkSize: 200 });
    expect(candidates.find((c) => c.type === 'md5')).toMatchObject({ count: 2 });
    expect(candidates.find((c) => c.type === 'md5')!.benign).toBeUndefined();
  });
  it('flags mail relays (all but the first hop) and message ids; keeps the sender', () => {
    const headers = [
      'Received: from mx1.provider-mail.top (191.252.199.165) by mx.victim.top',
      'Received: from [200.87.242.147] (200.87.242.147) by',
      ' smtp with ESMTP',
      'Message-ID: <8cadda8f@leonard0039.mail.collab.top>',
      'From: <vinicius.sc@sender-domain.top>',
    ].join('\n');
    expect(offered(headers).sort()).toEqual(['email:vinicius.sc@sender-domain.top', 'ip-dst:200.87.242.147']);
    expect(flagged(headers)['191.252.199.165']).toMatch(/relay/);
    expect(flagged(headers)['8cadda8f@leonard0039.mail.collab.top']).toMatch(/message id/);
  });
  it('flags values in a table column that names them clean or a credential', () => {
    const table = [`SHA-1 malware\tFilename\tPossible legitimate SHA-1`, `${'b'.repeat(40)}\tx.exe\t${'c'.repeat(40)}`].join('\n');
    expect(offered(table)).toEqual([`sha1:${'b'.repeat(40)}`, 'filename:x.exe']);
    expect(flagged(table)['c'.repeat(40)]).toMatch(/Possible legitimate SHA-1/);
  });
  it('flags vendor and reference links, social profiles, a common site home page, standard system programs and files', () => {
    const text = [
      'https://www.welivesecurity.com/2020/07/09/more-evil/',
      'https://twitter.com/ESETresearch',
      'http://google.com/',
      'https://github.com/eset/malware-ioc/tree/master/x',
      'C:\\Windows\\system32\\reg.exe save HKLM\\SAM',
      '/usr/sbin/sshd and /dev/null and /var/lib',
    ].join('\n');
    expect(offered(text)).toEqual([]);
  });
  it('keeps abuse of common services: a path on a very common site stays offered', () => {
    expect(offered('https://script.google.com/macros/s/AKfycbx/exec and https://raw.githubusercontent.com/a/b/master/ntk.tmp')).toEqual([
      'url:https://script.google.com/macros/s/AKfycbx/exec',
      'url:https://raw.githubusercontent.com/a/b/master/ntk.tmp',
    ]);
  });
  it('reads a magnet link whole, so versions in its name are not addresses', () => {
    expect(offered('magnet:?xt=urn:btih:k7emoadr3mhtvt7plavocv2stgdvkczw&dn=Player 3.2.0.1 + key.zip\t-')).toEqual([]);
  });
});

describe('more paths and named objects', () => {
  it('takes mutexes, %VAR%/ paths with forward slashes, placeholder folders and folders written with a final backslash', () => {
    const text = 'mutex Global\\KV-0413-LOCK; %APPDATA%/Microsoft/Windows/scawrdot.db; C:\\Users\\<user>\\AppData\\Localpolicy; C:\\Intel\\ and C:\\Users';
    expect(found(text).sort()).toEqual([
      'filepath:%APPDATA%/Microsoft/Windows/scawrdot.db',
      'filepath:C:\\Intel\\',
      'filepath:C:\\Users\\<user>\\AppData\\Localpolicy',
      'mutex:Global\\KV-0413-LOCK',
    ]);
  });
});

describe('other coins, vendor addresses, autostart keys', () => {
  const offered = (text: string) =>
    extractIndicators(text)
      .candidates.filter((c) => !c.benign && !c.error)
      .map((c) => `${c.type}:${c.value}`);
  it('takes Ethereum, and Litecoin with a valid checksum, as "other"; refuses a Litecoin-like word', () => {
    expect(offered('ETH 0x19539a179ddf8a02b772557d5036bdd0ac0b0fa7 LTC LTzrJENnVYYRp8hMgUenoZuzEFLyaPzGQB fake LTzrJENnVYYRp8hMgUenoZuzEFLyaPzGQC')).toEqual([
      'other:0x19539a179ddf8a02b772557d5036bdd0ac0b0fa7',
      'other:LTzrJENnVYYRp8hMgUenoZuzEFLyaPzGQB',
    ]);
  });
  it("flags a researcher's address at a security vendor and the standard Run key itself, not a rarer load point", () => {
    const text = 'contact thomas@eset.com; HKCU\\Software\\Microsoft\\Windows\\CurrentVersion\\Run and HKCU\\Software\\Microsoft\\Windows NT\\CurrentVersion\\Windows\\Run';
    expect(offered(text)).toEqual(['regkey:HKCU\\Software\\Microsoft\\Windows NT\\CurrentVersion\\Windows\\Run']);
  });
});

describe('host names with a port, and words of code', () => {
  it('keeps a host name with its port as context, and a host:port with a path as a URL', () => {
    const { candidates } = extractIndicators('beacon to update-check[.]xyz:443 and cdn.evil-edge.top:8080/gate.php');
    expect(candidates.map((c) => [c.type, c.value, c.port])).toEqual([
      ['domain', 'update-check.xyz', 443],
      ['url', 'http://cdn.evil-edge.top:8080/gate.php', undefined],
    ]);
  });
  it('does not take words of code with a mixed-case last part for names', () => {
    expect(found('abused Microsoft.Office and System.Net; contacted EVIL-C2.TOP')).toEqual(['domain:evil-c2.top']);
    expect(found('app.run(debug=True) then beacon.top (C2)')).toEqual(['domain:beacon.top']);
  });
});

describe('named pipes and hidden folders', () => {
  it('takes named pipes in both spellings, a folder named with dots, and a name ending in two hyphens', () => {
    expect(found('pipe \\\\.\\pipe\\msagent_12 and \\\\pipe\\\\atctl (named pipe); lock on /tmp/... and /etc/gshadow-- but not /tmp/dbus-').sort()).toEqual([
      'filepath:/etc/gshadow--',
      'filepath:/tmp/...',
      'filepath:\\\\.\\pipe\\msagent_12',
      'filepath:\\\\pipe\\\\atctl',
    ]);
  });
});

describe('other languages', () => {
  it('takes names under internationalized TLDs and values in Cyrillic, German and Chinese prose', () => {
    const text = [
      'Злоумышленники использовали домен вредонос.рф и адрес 77.91.124.55.',
      'Die Datei „rechnung.pdf.exe“ lag auf schadsoftware-update.de.',
      '攻击者使用域名 evil-cn.com 和 IP 地址 101.35.1.2。',
    ].join('\n');
    expect(found(text).sort()).toEqual([
      'domain:evil-cn.com',
      'domain:schadsoftware-update.de',
      'domain:xn--b1aec7aebjn.xn--p1ai',
      'filename:rechnung.pdf.exe',
      'ip-dst:101.35.1.2',
      'ip-dst:77.91.124.55',
    ]);
  });
});
