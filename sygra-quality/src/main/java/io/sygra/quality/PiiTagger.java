package io.sygra.quality;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds personal data and secrets in every turn ({@code quality.heuristic.pii}): counts of {@code
 * email}, {@code phone}, {@code ip_address}, {@code credit_card} and {@code secret}, and {@code
 * found}, the kinds present.
 *
 * <ul>
 *   <li>e-mail addresses, except documentation domains ({@code example.com}, {@code .example},
 *       {@code .test}, {@code .invalid}, {@code localhost});
 *   <li>phone numbers in international ({@code +49 30 1234567}) or North-American ({@code (555)
 *       123-4567}) form, with separators or a leading {@code +} (bare digit runs are not phones);
 *   <li>IP addresses: IPv4 outside private, loopback, link-local and documentation ranges, and
 *       full-form IPv6;
 *   <li>payment card numbers: 13 to 19 digits (spaces or dashes allowed) with a card-network prefix
 *       and a valid Luhn checksum;
 *   <li>secrets: AWS access keys, GitHub, GitLab, Slack, Stripe, Google and OpenAI-style API keys,
 *       private-key blocks, JSON web tokens, and {@code password=}/{@code api_key:} assignments
 *       whose value looks random (Shannon entropy of at least 3.5 bits per character).
 * </ul>
 *
 * <p>Matching is precise rather than exhaustive: the aim is to catch leaks in training data with
 * few false alarms on the code and examples that chat data is full of. Thread-safe.
 */
public final class PiiTagger implements QualityTagger {
  private static final Pattern EMAIL =
      Pattern.compile("(?<![\\w.+-])[\\w.+-]{1,64}@([A-Za-z0-9-]{1,63}(?:\\.[A-Za-z0-9-]{1,63})+)");
  private static final Pattern PHONE =
      Pattern.compile(
          "(?<![\\w+])(?:\\+\\d{1,3}[ .-]?(?:\\(\\d{1,4}\\)[ .-]?)?\\d{1,4}(?:[ .-]\\d{2,5}){1,4}"
              + "|\\(\\d{3}\\) ?\\d{3}[ .-]\\d{4}|\\d{3}[.-]\\d{3}[.-]\\d{4})(?![\\w.-]*\\d)");
  private static final Pattern IPV4 =
      Pattern.compile("(?<![\\w.])(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})(?![\\w.]*\\d)");
  private static final Pattern IPV6 =
      Pattern.compile("(?<![\\w:])(?:[0-9A-Fa-f]{1,4}:){7}[0-9A-Fa-f]{1,4}(?![\\w:])");
  private static final Pattern CARD =
      Pattern.compile("(?<![\\d-])\\d(?:[ -]?\\d){12,18}(?![\\d-])");
  private static final Pattern SECRET =
      Pattern.compile(
          "\\bAKIA[0-9A-Z]{16}\\b"
              + "|\\bgh[pousr]_[A-Za-z0-9]{36,}\\b"
              + "|\\bglpat-[A-Za-z0-9_-]{20,}\\b"
              + "|\\bxox[abposr]-[A-Za-z0-9-]{10,}\\b"
              + "|\\b[sr]k_live_[A-Za-z0-9]{16,}\\b"
              + "|\\bAIza[0-9A-Za-z_-]{35}\\b"
              + "|\\bsk-(?:proj-|ant-)?[A-Za-z0-9_-]{32,}\\b"
              + "|-----BEGIN (?:RSA |EC |DSA |OPENSSH |PGP |ENCRYPTED )?PRIVATE KEY-----"
              + "|\\beyJ[A-Za-z0-9_-]{10,}\\.eyJ[A-Za-z0-9_-]{10,}\\.[A-Za-z0-9_-]{10,}");
  private static final Pattern ASSIGNED_SECRET =
      Pattern.compile(
          "(?i)\\b(?:api[_-]?key|secret(?:[_-]?key)?|access[_-]?token|auth[_-]?token|password"
              + "|passwd|client[_-]?secret)[\"']?\\s*[:=]\\s*[\"']?([^\\s\"'`,;]{16,})");

  private static final ThreadLocal<char[]> BUFFER = ThreadLocal.withInitial(() -> new char[1024]);

  private PiiTagger() {}

  public static PiiTagger create() {
    return new PiiTagger();
  }

  @Override
  public String name() {
    return "pii";
  }

  @Override
  public Map<String, Object> tag(QualitySample sample) {
    int email = 0;
    int phone = 0;
    int ip = 0;
    int card = 0;
    int secret = 0;
    for (QualitySample.Turn t : sample.turns()) {
      String c = t.content();
      // Cheap scans decide which patterns can match at all; most text needs none of them.
      if (c.indexOf('@') >= 0) {
        email += emails(c);
      }
      int digits = 0;
      int hexColons = 0;
      boolean dottedDigits = false;
      boolean phoneShape = false;
      int run = 0;
      int longestRun = 0;
      int n = c.length();
      char[] a = chars(c);
      for (int i = 0; i < n; i++) {
        char ch = a[i];
        if (ch >= '0' && ch <= '9') {
          digits++;
          run++;
          longestRun = Math.max(longestRun, run);
          continue;
        }
        if (ch != ' ' && ch != '-' && ch != '.' && ch != '+' && ch != '(' && ch != ':') {
          run = 0; // most characters: no digit run, phone, address or card continues through them
          continue;
        }
        char prev = i > 0 ? a[i - 1] : ' ';
        char next = i + 1 < n ? a[i + 1] : ' ';
        boolean prevDigit = prev >= '0' && prev <= '9';
        boolean nextDigit = next >= '0' && next <= '9';
        // A card number may have single spaces or dashes between its digits.
        if (!((ch == ' ' || ch == '-') && prevDigit && nextDigit)) {
          run = 0;
        }
        if (ch == '.' && prevDigit && nextDigit) {
          dottedDigits = true;
          phoneShape = true;
        } else if (ch == '-' && prevDigit && nextDigit) {
          phoneShape = true;
        } else if ((ch == '+' || ch == '(') && nextDigit) {
          phoneShape = true;
        } else if (ch == ':' && isHex(prev) && isHex(next)) {
          hexColons++;
        }
      }
      if (digits >= 7 && phoneShape) {
        phone += count(PHONE, c);
      }
      if (longestRun >= 13) {
        card += cards(c);
      }
      if (digits >= 4 && dottedDigits) {
        ip += ipv4(c);
      }
      if (hexColons >= 7) {
        ip += count(IPV6, c);
      }
      secret += secrets(c);
    }
    Map<String, Object> m = new LinkedHashMap<>(8);
    List<String> found = new ArrayList<>(2);
    put(m, found, "email", email);
    put(m, found, "phone", phone);
    put(m, found, "ip_address", ip);
    put(m, found, "credit_card", card);
    put(m, found, "secret", secret);
    m.put("found", found);
    return m;
  }

  /** The characters of {@code s} in this thread's buffer (valid up to {@code s.length()}). */
  private static char[] chars(String s) {
    char[] a = BUFFER.get();
    if (a.length < s.length()) {
      a = new char[Math.max(s.length(), a.length * 2)];
      BUFFER.set(a);
    }
    s.getChars(0, s.length(), a, 0);
    return a;
  }

  private static boolean isHex(char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
  }

  private static void put(Map<String, Object> m, List<String> found, String kind, int n) {
    m.put(kind, n);
    if (n > 0) {
      found.add(kind);
    }
  }

  private static int count(Pattern p, String s) {
    Matcher m = p.matcher(s);
    int n = 0;
    while (m.find()) {
      n++;
    }
    return n;
  }

  static int emails(String s) {
    Matcher m = EMAIL.matcher(s);
    int n = 0;
    while (m.find()) {
      String domain = m.group(1).toLowerCase(Locale.ROOT);
      if (domain.equals("example.com")
          || domain.equals("example.org")
          || domain.equals("example.net")
          || domain.endsWith(".example.com")
          || domain.endsWith(".example")
          || domain.endsWith(".test")
          || domain.endsWith(".invalid")
          || domain.endsWith(".localhost")
          || domain.equals("localhost")) {
        continue;
      }
      n++;
    }
    return n;
  }

  static int ipv4(String s) {
    Matcher m = IPV4.matcher(s);
    int n = 0;
    while (m.find()) {
      int[] o = new int[4];
      boolean ok = true;
      for (int i = 0; i < 4; i++) {
        String g = m.group(i + 1);
        o[i] = Integer.parseInt(g);
        ok &= o[i] <= 255 && (g.length() == 1 || g.charAt(0) != '0');
      }
      if (ok && isPublic(o)) {
        n++;
      }
    }
    return n;
  }

  /** False for private, loopback, link-local, unspecified, multicast and documentation ranges. */
  private static boolean isPublic(int[] o) {
    return !(o[0] == 0
        || o[0] == 10
        || o[0] == 127
        || o[0] >= 224
        || (o[0] == 169 && o[1] == 254)
        || (o[0] == 172 && o[1] >= 16 && o[1] <= 31)
        || (o[0] == 192 && o[1] == 168)
        || (o[0] == 192 && o[1] == 0 && o[2] == 2)
        || (o[0] == 198 && o[1] == 51 && o[2] == 100)
        || (o[0] == 203 && o[1] == 0 && o[2] == 113)
        || (o[0] == 100 && o[1] >= 64 && o[1] <= 127));
  }

  static int cards(String s) {
    Matcher m = CARD.matcher(s);
    int n = 0;
    while (m.find()) {
      String digits = m.group().replace(" ", "").replace("-", "");
      if (digits.length() >= 13 && digits.length() <= 19 && cardPrefix(digits) && luhn(digits)) {
        n++;
      }
    }
    return n;
  }

  /** Visa, Mastercard, American Express, Discover, JCB, Diners Club, UnionPay, Maestro. */
  private static boolean cardPrefix(String d) {
    int two = Integer.parseInt(d.substring(0, 2));
    int four = Integer.parseInt(d.substring(0, 4));
    return d.charAt(0) == '4'
        || (two >= 51 && two <= 55)
        || (four >= 2221 && four <= 2720)
        || two == 34
        || two == 37
        || four == 6011
        || two == 65
        || (four >= 3528 && four <= 3589)
        || two == 36
        || (two == 30 && d.charAt(2) <= '5')
        || two == 62
        || two == 50
        || (two >= 56 && two <= 58)
        || two == 63
        || two == 67;
  }

  /** The Luhn (mod 10) checksum. */
  static boolean luhn(String digits) {
    int sum = 0;
    boolean dbl = false;
    for (int i = digits.length() - 1; i >= 0; i--) {
      int d = digits.charAt(i) - '0';
      if (dbl) {
        d *= 2;
        if (d > 9) {
          d -= 9;
        }
      }
      sum += d;
      dbl = !dbl;
    }
    return sum % 10 == 0;
  }

  /** Fixed substrings one of which every {@link #SECRET} alternative contains. */
  private static final String[] SECRET_MARKERS = {
    "AKIA",
    "ghp_",
    "gho_",
    "ghu_",
    "ghs_",
    "ghr_",
    "glpat-",
    "xox",
    "_live_",
    "AIza",
    "sk-",
    "PRIVATE KEY-----",
    "eyJ"
  };

  /** Lower-case words one of which every {@link #ASSIGNED_SECRET} match contains. */
  private static final String[] ASSIGNMENT_MARKERS = {"key", "secret", "token", "passw"};

  static int secrets(String s) {
    int n = 0;
    for (String marker : SECRET_MARKERS) {
      if (s.contains(marker)) {
        n = count(SECRET, s);
        break;
      }
    }
    if (s.indexOf('=') < 0 && s.indexOf(':') < 0) {
      return n;
    }
    String lower = s.toLowerCase(Locale.ROOT);
    // Run the assignment pattern only around its marker words, not over the whole text.
    Matcher m = ASSIGNED_SECRET.matcher(s);
    int scannedTo = 0;
    for (String marker : ASSIGNMENT_MARKERS) {
      for (int at = lower.indexOf(marker); at >= 0; at = lower.indexOf(marker, at + 1)) {
        int from = Math.max(scannedTo, at - 8);
        int to = Math.min(s.length(), at + 160);
        if (from >= to) {
          continue;
        }
        m.region(from, to);
        while (m.find()) {
          String value = m.group(1);
          if (entropy(value) >= 3.5 && !SECRET.matcher(value).find()) {
            n++;
          }
          scannedTo = Math.max(scannedTo, m.end());
        }
      }
    }
    return n;
  }

  /** Shannon entropy in bits per character. */
  static double entropy(String s) {
    int[] counts = new int[128];
    int other = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < 128) {
        counts[c]++;
      } else {
        other++;
      }
    }
    double h = 0;
    double len = s.length();
    for (int c : counts) {
      if (c > 0) {
        double p = c / len;
        h -= p * Math.log(p) / Math.log(2);
      }
    }
    if (other > 0) {
      double p = other / len;
      h -= p * Math.log(p) / Math.log(2);
    }
    return h;
  }
}
