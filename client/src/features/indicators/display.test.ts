import { describe, expect, it } from 'vitest';
import { countOf, defangsType, displayValue, middleEllipsis } from './display.js';

describe('indicator display', () => {
  it('defangs what can be clicked or resolved', () => {
    expect(displayValue('domain', 'c2.evil.top')).toBe('c2[.]evil[.]top');
    expect(displayValue('url', 'https://a.example.com/x.php')).toBe('hxxps://a[.]example[.]com/x.php');
    expect(displayValue('ip-dst', '10.1.2.3')).toBe('10[.]1[.]2[.]3');
    expect(displayValue('email', 'bob@mail.example')).toBe('bob[@]mail[.]example');
  });

  it('never defangs file paths, registry keys, file names or hashes', () => {
    expect(displayValue('filepath', 'C:\\Users\\Public\\svchost.exe')).toBe('C:\\Users\\Public\\svchost.exe');
    expect(displayValue('regkey', 'HKLM\\Software\\Microsoft\\Windows\\CurrentVersion\\Run\\upd.exe')).toBe('HKLM\\Software\\Microsoft\\Windows\\CurrentVersion\\Run\\upd.exe');
    expect(displayValue('filename', 'invoice.pdf.exe')).toBe('invoice.pdf.exe');
    expect(displayValue('user-agent', 'Mozilla/5.0 (Windows NT 10.0)')).toBe('Mozilla/5.0 (Windows NT 10.0)');
    expect(defangsType('sha256')).toBe(false);
  });

  it('shows the raw value when the toggle is off', () => {
    expect(displayValue('domain', 'c2.evil.top', false)).toBe('c2.evil.top');
  });

  it('counts with the right number', () => {
    expect(countOf(1, 'indicator')).toBe('1 indicator');
    expect(countOf(0, 'indicator')).toBe('0 indicators');
    expect(countOf(2_500, 'value')).toBe('2,500 values');
  });

  it('cuts a long hash in the middle and leaves other values whole', () => {
    const sha = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';
    const cut = middleEllipsis('sha256', sha);
    expect(cut).toBe('e3b0c44298fc…991b7852b855');
    const md5 = '5f4dcc3b5aa765d61d8327deb882cf99';
    expect(middleEllipsis('md5', md5)).toBe(`${md5.slice(0, 12)}…${md5.slice(-12)}`);
    expect(middleEllipsis('url', `https://x.example/${'a'.repeat(80)}`)).toBe(`https://x.example/${'a'.repeat(80)}`);
  });
});
