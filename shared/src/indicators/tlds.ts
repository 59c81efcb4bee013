/**
 * Top-level domains that extraction accepts, so that "report.pdf" or "config.json" are not taken for
 * domains. All two-letter country codes plus the generic and brand TLDs seen in real intrusions; a
 * name under a TLD not listed here is still accepted when typed as a domain explicitly.
 */
const CC =
  'ac ad ae af ag ai al am ao aq ar as at au aw ax az ba bb bd be bf bg bh bi bj bm bn bo br bs bt bw by bz ca cc cd cf cg ch ci ck cl cm cn co cr cu cv cw cx cy cz de dj dk dm do dz ec ee eg er es et eu fi fj fk fm fo fr ga gb gd ge gf gg gh gi gl gm gn gp gq gr gs gt gu gw gy hk hm hn hr ht hu id ie il im in io iq ir is it je jm jo jp ke kg kh ki km kn kp kr kw ky kz la lb lc li lk lr ls lt lu lv ly ma mc md me mg mh mk ml mm mn mo mp mq mr ms mt mu mv mw mx my mz na nc ne nf ng ni nl no np nr nu nz om pa pe pf pg ph pk pl pm pn pr ps pt pw py qa re ro rs ru rw sa sb sc sd se sg sh si sk sl sm sn so sr ss st su sv sx sy sz tc td tf tg th tj tk tl tm tn to tr tt tv tw tz ua ug uk us uy uz va vc ve vg vi vn vu wf ws ye yt za zm zw';
const GENERIC =
  'com net org info biz gov edu mil int arpa name pro mobi asia tel travel xxx aero coop museum jobs cat post ' +
  'top xyz online site club shop store app dev io tech space website live life world today news blog cloud email ' +
  'link click download zip mov support services solutions center network systems digital agency company group ' +
  'global international one best fun icu buzz rest bar work win bid loan men date party racing review trade ' +
  'stream science cricket faith accountant download country gdn kim ltd vip wang ren cyou monster cfd sbs ' +
  'lol pw su ws cam host press security secure page pics photo photos media ninja rocks tools zone market ' +
  'google microsoft apple amazon azure windows office live onion bit ' +
  // Newer and cheaper generic TLDs that phishing and malware infrastructure favours.
  'pet lat bond autos beauty boats hair homes makeup mom quest skin yachts motorcycles uno fit ink surf casa ' +
  'help art design fyi guru ltd digital wiki biz ooo run dog bio one today tokyo moscow berlin london paris ' +
  'vin wtf sex porn adult tube video game games cash money loan loans credit finance bank ' +
  'gold trade vote voting men mba pro studio social plus team top best cool town city land ' +
  'rip red blue pink black green tips deals sale promo cheap exchange host hosting server domains ' +
  'kz su id tk ml ga cf gq ' +
  // Internationalized TLDs, as written and punycoded.
  'рф рус онлайн сайт москва укр бел срб 中国 中國 公司 网络 在线 香港 台灣 한국 日本 xn--p1ai xn--p1acf xn--80asehdb xn--80aswg xn--fiqs8s xn--fiqz9s xn--55qx5d xn--io0a7i xn--3e0b707e';

const ALL = new Set([...CC.split(' '), ...GENERIC.split(' ')]);

export const isKnownTld = (tld: string): boolean => ALL.has(tld.toLowerCase());

/**
 * Extensions of the files analysts import as indicators (executables, scripts, documents, archives,
 * disk images): "name.ext" with one of these is a file name, even when the extension is also a TLD
 * (zip, mov, sh, py, one, so: libc.so is a library far more often than a Somali domain). Country
 * codes that are far more often domains than files in reports (cc, pl, rs, md, ps) are not here:
 * "evil.cc" stays a domain.
 */
export const FILE_EXTENSIONS = new Set(
  (
    'exe dll sys drv scr cpl ocx msi msp msc lnk bat cmd ps1 psm1 psd1 vbs vbe js jse wsf wsh hta ' +
    'sct inf reg chm hlp doc docx docm dot dotm xls xlsx xlsm xlsb xll xla ppt pptx pptm rtf pdf one odt ods ' +
    'zip rar 7z gz tgz bz2 xz tar cab iso img vhd vhdx jar war apk ipa dmg pkg deb rpm elf bin dat tmp ini ' +
    'cfg plist dylib kext so sh bash zsh py pyc php asp aspx ashx jsp jspx cgi lua ko mov'
  ).split(' '),
);
