import { describe, expect, it } from 'vitest';
import { defangRanges } from './defang.js';

/** Applies the ranges the way the editor draws them, to read the result as text. */
function render(text: string): string {
  const ranges = defangRanges(text);
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const r = ranges.find((x) => x.at === i);
    if (r?.kind === 'dot') out += '[.]';
    else if (r?.kind === 'scheme') {
      out += 'xx';
      i++;
    } else out += text[i];
  }
  return out;
}

describe('defanged display', () => {
  it('brackets the dots of domains and IPv4 addresses', () => {
    expect(render('beacon to evil.example.com from 10.1.2.3 seen')).toBe('beacon to evil[.]example[.]com from 10[.]1[.]2[.]3 seen');
  });

  it('turns http into hxxp and brackets only the host of a URL', () => {
    expect(render('GET https://c2.bad.org/a.php?x=1.2 done')).toBe('GET hxxps://c2[.]bad[.]org/a.php?x=1.2 done');
  });

  it('leaves an already defanged URL and its path alone', () => {
    expect(render('see hxxps://cdn-update[.]example[.]net/a.php now')).toBe('see hxxps://cdn-update[.]example[.]net/a.php now');
  });

  it('leaves prose, numbers and sentence ends alone', () => {
    expect(render('Version 1.2 was fine. Then nothing.')).toBe('Version 1.2 was fine. Then nothing.');
  });
});

describe('defanged display leaves file paths and file names whole', () => {
  it('never brackets a Windows path, a registry key or a file name', () => {
    for (const text of [
      'dropped C:\\Users\\Public\\svchost.exe then ran',
      'HKCU\\Software\\Microsoft\\Windows\\CurrentVersion\\Run\\updater.exe persisted',
      'attachment invoice.pdf.exe and loader.dll',
      'script stage2.ps1 ran',
    ])
      expect(render(text)).toBe(text);
  });

  it('still brackets the host in the same sentence, and domains whose TLD is also a file ending', () => {
    expect(render('C:\\Temp\\a.exe beaconed to c2.evil.com')).toBe('C:\\Temp\\a.exe beaconed to c2[.]evil[.]com');
    expect(render('lure at invoice-2024.zip')).toBe('lure at invoice-2024[.]zip');
  });
});
