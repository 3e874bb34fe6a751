package io.sygra.schema;

import io.sygra.schema.internal.ArrayMap;
import java.util.Map;
import java.util.Objects;

/**
 * One OpenAssistant message ({@code ExportMessageNode}) without its replies. Every field the
 * exports carry is kept; a field absent from the input, or null there, is {@code null} here. An
 * empty {@code emojis} map ({@code {}}) is kept distinct from an absent one.
 *
 * @param messageId the message id; never null
 * @param parentId the parent's id, {@code null} on a root
 * @param treeId {@code message_tree_id} (the root's id), or {@code null} when the input has none
 * @param role {@link Role#USER} for {@code prompter}, {@link Role#ASSISTANT} for {@code assistant}
 * @param text the message text; never null
 * @param lang BCP-47 language tag
 * @param createdDate ISO-8601 creation time, as written in the input
 * @param userId the author's id
 * @param reviewCount number of reviews
 * @param reviewResult {@code false} when the message failed review, {@code null} when not reviewed
 * @param deleted true when the message was deleted
 * @param rank the rank among sibling replies, 0 = best; gaps are normal
 * @param synthetic true when a model wrote the message
 * @param modelName the model that wrote it
 * @param emojis emoji name → count
 * @param labels label name → averaged value and number of raters
 * @param detoxify detoxify score name → value
 */
public record OasstMessage(
    String messageId,
    String parentId,
    String treeId,
    Role role,
    String text,
    String lang,
    String createdDate,
    String userId,
    Integer reviewCount,
    Boolean reviewResult,
    Boolean deleted,
    Integer rank,
    Boolean synthetic,
    String modelName,
    Map<String, Integer> emojis,
    Map<String, Label> labels,
    Map<String, Double> detoxify) {

  /**
   * An averaged label.
   *
   * @param value the mean value in [0, 1], or {@code null} when the export has none
   * @param count the number of raters
   */
  public record Label(Double value, int count) {}

  /** Validates and copies the maps; see the record description. */
  public OasstMessage {
    Objects.requireNonNull(messageId, "messageId");
    Objects.requireNonNull(role, "role");
    Objects.requireNonNull(text, "text");
    emojis = copy(emojis);
    labels = copy(labels);
    detoxify = copy(detoxify);
  }

  private static <V> Map<String, V> copy(Map<String, V> m) {
    return m == null ? null : ArrayMap.copyOf(m);
  }

  /** True when this is a root (no parent). */
  public boolean isRoot() {
    return parentId == null;
  }

  /** The value of label {@code name}, or {@code null} when the label or its value is absent. */
  public Double label(String name) {
    if (labels == null) {
      return null;
    }
    Label l = labels.get(name);
    return l == null ? null : l.value();
  }

  /** A copy with another parent id. */
  public OasstMessage withParentId(String newParentId) {
    return new OasstMessage(
        messageId,
        newParentId,
        treeId,
        role,
        text,
        lang,
        createdDate,
        userId,
        reviewCount,
        reviewResult,
        deleted,
        rank,
        synthetic,
        modelName,
        emojis,
        labels,
        detoxify);
  }

  /** A copy with another tree id. */
  public OasstMessage withTreeId(String newTreeId) {
    return new OasstMessage(
        messageId,
        parentId,
        newTreeId,
        role,
        text,
        lang,
        createdDate,
        userId,
        reviewCount,
        reviewResult,
        deleted,
        rank,
        synthetic,
        modelName,
        emojis,
        labels,
        detoxify);
  }

  /**
   * Merges two records of the same message (duplicates across exports): every field is taken from
   * this record, or from {@code other} where this one has none.
   *
   * @throws IllegalArgumentException when the ids differ
   */
  public OasstMessage merge(OasstMessage other) {
    if (!messageId.equals(other.messageId)) {
      throw new IllegalArgumentException(
          "cannot merge messages " + messageId + " and " + other.messageId);
    }
    return new OasstMessage(
        messageId,
        or(parentId, other.parentId),
        or(treeId, other.treeId),
        role,
        text,
        or(lang, other.lang),
        or(createdDate, other.createdDate),
        or(userId, other.userId),
        or(reviewCount, other.reviewCount),
        or(reviewResult, other.reviewResult),
        or(deleted, other.deleted),
        or(rank, other.rank),
        or(synthetic, other.synthetic),
        or(modelName, other.modelName),
        or(emojis, other.emojis),
        or(labels, other.labels),
        or(detoxify, other.detoxify));
  }

  private static <T> T or(T a, T b) {
    return a != null ? a : b;
  }
}
