package io.sygra.core.internal;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.sygra.core.run.RunDirectoryException;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.RandomAccessFile;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The on-disk state of a resumable run: opens or creates the directory, checks the manifest,
 * repairs torn last lines, and loads which record ids are finished and which fan-outs are
 * journaled. The files are append-only JSON Lines, so a crash can at worst leave one incomplete
 * last line per file, which is cut off here.
 */
public final class RunDirectory {
  private static final Logger LOG = LoggerFactory.getLogger(RunDirectory.class);

  public static final String OUTPUT = "output.jsonl";
  public static final String DROPPED = "dropped.jsonl";
  public static final String FAILED = "failed.jsonl";
  public static final String JOURNAL = "fanout-journal.jsonl";
  public static final String REPORT = "report.json";
  public static final String MANIFEST = "manifest.json";

  private final Path dir;
  private final String idField;
  private final LongHashSet done;
  private final Map<Long, Long> journalOffsets = new HashMap<>();
  private final boolean resumed;
  private long written;
  private long dropped;
  private long failed;
  private long fanOutAdded;
  private final List<String> repairs = new ArrayList<>();
  private final Map<String, Long> dropReasons = new HashMap<>();
  private final Map<String, Long> failureClasses = new HashMap<>();
  private RandomAccessFile journalReader;

  private RunDirectory(Path dir, String idField, boolean resumed, int expected) {
    this.dir = dir;
    this.idField = idField;
    this.resumed = resumed;
    this.done = new LongHashSet(expected);
  }

  /**
   * Opens {@code dir}, creating it when absent.
   *
   * @param manifest the manifest this run would write; its {@code fingerprint} is compared
   * @throws RunDirectoryException on a fingerprint mismatch without {@code force}, or I/O failure
   */
  public static RunDirectory open(
      Path dir, String idField, Map<String, Object> manifest, boolean force, boolean retryFailed) {
    try {
      Files.createDirectories(dir);
      Path mf = dir.resolve(MANIFEST);
      boolean hasOutputs =
          Files.exists(dir.resolve(OUTPUT))
              || Files.exists(dir.resolve(DROPPED))
              || Files.exists(dir.resolve(FAILED));
      boolean resumed = Files.exists(mf);
      Map<String, Object> toWrite = new LinkedHashMap<>(manifest);
      List<Object> runs = new ArrayList<>();
      if (resumed) {
        Map<String, Object> old = Json.readMap(Files.readString(mf));
        Object oldFp = old.get("fingerprint");
        if (!manifest.get("fingerprint").equals(oldFp)) {
          String what = describeMismatch(old, manifest);
          if (!force) {
            throw new RunDirectoryException(
                dir,
                "was created by a different graph or options ("
                    + what
                    + "). Resuming would mix outputs of two different pipelines. Use a new"
                    + " directory, or set force (--force) to resume anyway.");
          }
          LOG.warn(
              "resuming {} despite a fingerprint mismatch ({}) because force is set", dir, what);
        }
        if (old.get("createdAt") != null) {
          toWrite.put("createdAt", old.get("createdAt"));
        }
        if (old.get("runs") instanceof List<?> l) {
          runs.addAll(l);
        }
      } else if (hasOutputs && !force) {
        throw new RunDirectoryException(
            dir,
            "holds output files but no "
                + MANIFEST
                + "; it was not made by this tool or the"
                + " manifest was deleted. Use a new directory, or set force to adopt it.");
      }
      Map<String, Object> thisRun = new LinkedHashMap<>();
      thisRun.put("startedAt", Instant.now().toString());
      thisRun.put("resumed", resumed || hasOutputs);
      thisRun.put("force", force);
      thisRun.put("retryFailed", retryFailed);
      runs.add(thisRun);
      toWrite.put("runs", runs);
      toWrite.put("updatedAt", Instant.now().toString());
      writeAtomically(mf, Json.writePretty(toWrite));

      int expected = (int) Math.min(1 << 24, Math.max(1024, estimateLines(dir)));
      RunDirectory rd = new RunDirectory(dir, idField, resumed || hasOutputs, expected);
      rd.load(retryFailed);
      return rd;
    } catch (IOException e) {
      throw new RunDirectoryException(dir, "cannot be opened: " + e.getMessage(), e);
    }
  }

  private static String describeMismatch(Map<String, Object> old, Map<String, Object> now) {
    List<String> diffs = new ArrayList<>();
    Object og = old.get("graph");
    Object ng = now.get("graph");
    if (og instanceof Map<?, ?> a && ng instanceof Map<?, ?> b) {
      if (!String.valueOf(a.get("fingerprint")).equals(String.valueOf(b.get("fingerprint")))) {
        diffs.add(
            "graph '"
                + b.get("name")
                + "' fingerprint "
                + a.get("fingerprint")
                + " -> "
                + b.get("fingerprint"));
        if (!String.valueOf(a.get("nodes")).equals(String.valueOf(b.get("nodes")))) {
          diffs.add("nodes " + a.get("nodes") + " -> " + b.get("nodes"));
        }
      }
    }
    if (!String.valueOf(old.get("options")).equals(String.valueOf(now.get("options")))) {
      diffs.add("options " + old.get("options") + " -> " + now.get("options"));
    }
    return diffs.isEmpty() ? "fingerprint differs" : String.join("; ", diffs);
  }

  private static long estimateLines(Path dir) throws IOException {
    long bytes = 0;
    for (String f : List.of(OUTPUT, DROPPED, FAILED)) {
      Path p = dir.resolve(f);
      if (Files.exists(p)) {
        bytes += Files.size(p);
      }
    }
    return bytes / 64;
  }

  private void load(boolean retryFailed) throws IOException {
    written = scan(dir.resolve(OUTPUT), null);
    dropped = scan(dir.resolve(DROPPED), "reason");
    Path failedFile = dir.resolve(FAILED);
    if (retryFailed && Files.exists(failedFile) && Files.size(failedFile) > 0) {
      repair(failedFile);
      Path archive =
          dir.resolve("failed-retried-" + Instant.now().toString().replace(':', '-') + ".jsonl");
      Files.move(failedFile, archive);
      LOG.info("retrying failed records: moved {} to {}", FAILED, archive.getFileName());
      failed = 0;
    } else {
      failed = scan(failedFile, "error");
    }
    scanJournal(dir.resolve(JOURNAL));
  }

  /** Cuts an incomplete last line; returns the file size afterwards. */
  private long repair(Path file) throws IOException {
    if (!Files.exists(file)) {
      return 0;
    }
    try (FileChannel ch =
        FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
      long size = ch.size();
      if (size == 0) {
        return 0;
      }
      java.nio.ByteBuffer one = java.nio.ByteBuffer.allocate(1);
      ch.read(one, size - 1);
      if (one.get(0) == '\n') {
        return size;
      }
      long pos = size - 1;
      java.nio.ByteBuffer buf = java.nio.ByteBuffer.allocate(8192);
      long keep = 0;
      outer:
      while (pos >= 0) {
        long start = Math.max(0, pos - buf.capacity() + 1);
        buf.clear();
        buf.limit((int) (pos - start + 1));
        ch.read(buf, start);
        for (int i = buf.limit() - 1; i >= 0; i--) {
          if (buf.get(i) == '\n') {
            keep = start + i + 1;
            break outer;
          }
        }
        pos = start - 1;
      }
      ch.truncate(keep);
      ch.force(true);
      String msg =
          "repaired torn last line of "
              + file.getFileName()
              + " (cut "
              + (size - keep)
              + " bytes written by an interrupted run)";
      repairs.add(msg);
      LOG.warn("{}", msg);
      return keep;
    }
  }

  private long scan(Path file, String tallyField) throws IOException {
    if (repair(file) == 0) {
      return 0;
    }
    long n = 0;
    try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
      LineReader lines = new LineReader(in, Integer.MAX_VALUE);
      byte[] line;
      while ((line = lines.next()) != null) {
        int len = lines.length();
        if (len == 0) {
          continue;
        }
        String id = firstStringField(line, len, idField);
        if (id == null) {
          throw new RunDirectoryException(
              dir,
              file.getFileName()
                  + ":"
                  + lines.lineNumber()
                  + " has no string '"
                  + idField
                  + "' field; the file was edited or written by another tool");
        }
        done.add(LongHashSet.hash(id));
        if (tallyField != null) {
          String v = firstStringField(line, len, tallyField);
          Map<String, Long> t = "reason".equals(tallyField) ? dropReasons : failureClasses;
          t.merge(v == null ? "(unknown)" : v, 1L, Long::sum);
        }
        n++;
      }
    }
    return n;
  }

  private void scanJournal(Path file) throws IOException {
    if (repair(file) == 0) {
      return;
    }
    long offset = 0;
    try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
      LineReader lines = new LineReader(in, Integer.MAX_VALUE);
      byte[] line;
      while ((line = lines.next()) != null) {
        int len = lines.length();
        long lineBytes = lines.lastLineBytes() + 1;
        if (len > 0) {
          String parent = firstStringField(line, len, "parent");
          String n = firstStringField(line, len, "n");
          if (parent == null || n == null) {
            throw new RunDirectoryException(
                dir, JOURNAL + ":" + lines.lineNumber() + " is damaged (no parent or n field)");
          }
          if (journalOffsets.put(LongHashSet.hash(parent), offset) == null) {
            fanOutAdded += Long.parseLong(n) - 1;
          }
        }
        offset += lineBytes;
      }
    }
  }

  /** Reads the value of a top-level field (string or number) before the parser meets an object. */
  static String firstStringField(byte[] line, int len, String field) throws IOException {
    try (JsonParser p = Json.MAPPER.getFactory().createParser(line, 0, len)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        return null;
      }
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String name = p.currentName();
        JsonToken v = p.nextToken();
        if (name.equals(field)) {
          if (v == JsonToken.VALUE_STRING || v.isNumeric()) {
            return p.getText();
          }
          return null;
        }
        p.skipChildren();
      }
      return null;
    } catch (com.fasterxml.jackson.core.JacksonException e) {
      return null;
    }
  }

  public Path path() {
    return dir;
  }

  public boolean resumed() {
    return resumed;
  }

  public List<String> repairs() {
    return repairs;
  }

  public boolean isDone(String id) {
    return done.contains(LongHashSet.hash(id));
  }

  public long written() {
    return written;
  }

  public long dropped() {
    return dropped;
  }

  public long failed() {
    return failed;
  }

  /** Drops per reason found in {@code dropped.jsonl} when the directory was opened. */
  public Map<String, Long> dropReasons() {
    return dropReasons;
  }

  /** Failures per error class found in {@code failed.jsonl} when the directory was opened. */
  public Map<String, Long> failureClasses() {
    return failureClasses;
  }

  public long fanOutAdded() {
    return fanOutAdded;
  }

  /** The journal line recorded for a fan-out of {@code parentId}, or null. */
  public synchronized Map<String, Object> journalEntry(String parentId) {
    Long off = journalOffsets.get(LongHashSet.hash(parentId));
    if (off == null) {
      return null;
    }
    try {
      if (journalReader == null) {
        journalReader = new RandomAccessFile(dir.resolve(JOURNAL).toFile(), "r");
      }
      journalReader.seek(off);
      java.io.ByteArrayOutputStream line = new java.io.ByteArrayOutputStream();
      int b;
      while ((b = journalReader.read()) >= 0 && b != '\n') {
        line.write(b);
      }
      Map<String, Object> m = Json.readMap(line.toString(java.nio.charset.StandardCharsets.UTF_8));
      return parentId.equals(m.get("parent")) ? m : null;
    } catch (IOException e) {
      throw new RunDirectoryException(dir, "cannot read " + JOURNAL + ": " + e.getMessage(), e);
    }
  }

  /** Releases the journal reader. */
  public synchronized void close() {
    if (journalReader != null) {
      try {
        journalReader.close();
      } catch (IOException e) {
        LOG.debug("closing journal reader", e);
      }
      journalReader = null;
    }
  }

  /** Writes {@code text} to {@code file} through a temporary file and an atomic rename. */
  public static void writeAtomically(Path file, String text) throws IOException {
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    try (FileChannel ch =
        FileChannel.open(
            tmp,
            StandardOpenOption.CREATE,
            StandardOpenOption.WRITE,
            StandardOpenOption.TRUNCATE_EXISTING)) {
      ch.write(java.nio.ByteBuffer.wrap(text.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
      ch.force(true);
    }
    try {
      Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
    }
  }
}
