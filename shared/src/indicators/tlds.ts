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
  'google microsoft apple amazon azure windows office live onion bit';

const ALL = new Set([...CC.split(' '), ...GENERIC.split(' ')]);

export const isKnownTld = (tld: string): boolean => ALL.has(tld.toLowerCase());

/** TLDs that are also common file extensions: a bare "name.ext" with one of these is more likely a file. */
export const FILE_LIKE_TLDS = new Set([
  'zip',
  'mov',
  'sh',
  'py',
  'pl',
  'rs',
  'md',
  'ps',
  'so',
  'cc',
  'cs',
  'bat',
  'bin',
  'gz',
  'rar',
  'tar',
  'js',
  'sys',
  'dll',
  'exe',
  'doc',
  'pdf',
  'ini',
  'log',
  'tmp',
  'dat',
  'img',
]);
