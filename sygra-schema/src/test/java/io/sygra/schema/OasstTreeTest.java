package io.sygra.schema;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The OASST rules of DESIGN.md §6, checked at the fixture lines SCHEMAS.md names. */
class OasstTreeTest {
  private static final Map<String, OasstTree> FLAT_TREES = new LinkedHashMap<>();

  @BeforeAll
  static void readFlat() {
    try (OasstReader r =
        OasstReader.open(
            Fixtures.file(Fixtures.FLAT),
            OasstReader.Grouping.STREAMING,
            rej -> {
              throw new AssertionError(rej);
            })) {
      r.forEachRemaining(t -> FLAT_TREES.put(t.id(), t));
    }
  }

  private static OasstTree treeOf(int line) {
    String id = Fixtures.line(Fixtures.FLAT, line).get("message_tree_id").textValue();
    return FLAT_TREES.get(id);
  }

  private static List<Preference> pairs(int line, DpoPairs mode) {
    return treeOf(line).select(OasstFilter.defaults()).dpoPairs(mode);
  }

  private static List<Preference> pairsUnder(int parentLine, DpoPairs mode) {
    String parent = Fixtures.flatId(parentLine);
    List<Preference> out = new ArrayList<>();
    for (Preference p : pairs(parentLine, mode)) {
      @SuppressWarnings("unchecked")
      List<String> ids = (List<String>) p.metadata().get("prompt_ids");
      if (ids.get(ids.size() - 1).equals(parent)) {
        out.add(p);
      }
    }
    return out;
  }

  @Test
  void flatFileHas91TreesOneOrphanAnd953Messages() {
    assertThat(FLAT_TREES).hasSize(91);
    assertThat(FLAT_TREES.values().stream().mapToInt(OasstTree::size).sum()).isEqualTo(953);
    long orphans = FLAT_TREES.values().stream().mapToLong(t -> t.orphans().size()).sum();
    assertThat(orphans).isEqualTo(1);
    assertThat(FLAT_TREES.values().stream().mapToLong(t -> t.roots().size()).sum()).isEqualTo(90);
  }

  @Test
  void orphanAtLine765IsExcludedAndYieldsNothing() {
    OasstTree t = treeOf(765);
    assertThat(t.roots()).isEmpty();
    assertThat(t.orphans())
        .extracting(OasstMessage::messageId)
        .containsExactly(Fixtures.flatId(765));
    OasstTree.Selection s = t.select(OasstFilter.defaults());
    assertThat(s.kept()).isZero();
    assertThat(s.orphans()).isEqualTo(1);
    assertThat(s.excluded()).isEqualTo(1);
    assertThat(s.sftConversations(SftPaths.ALL)).isEmpty();
    assertThat(s.dpoPairs(DpoPairs.ALL_PAIRS)).isEmpty();
  }

  @Test
  void deletedSubtreeAtLines41To49IsExcludedWithAllDescendants() {
    OasstTree t = treeOf(41);
    OasstTree.Selection s = t.select(OasstFilter.defaults());
    for (int line = 41; line <= 49; line++) {
      assertThat(s.isKept(Fixtures.flatId(line))).as("line %d", line).isFalse();
    }
    assertThat(s.isKept(Fixtures.flatId(29))).isTrue();
    assertThat(s.isKept(Fixtures.flatId(30))).isTrue();
    for (Conversation c : s.sftConversations(SftPaths.ALL)) {
      assertThat(messageIds(c)).doesNotContain(Fixtures.flatId(41), Fixtures.flatId(45));
    }
  }

  @Test
  void rankedRepliesOfRoot29PairBestAgainstWorstIgnoringDeletedUnranked() {
    // l.30 rank 0, l.31 rank 1, l.40 rank 2; l.41 and l.50 are deleted and unranked.
    List<Preference> worst = pairsUnder(29, DpoPairs.BEST_VS_WORST);
    assertThat(worst).hasSize(1);
    assertThat(worst.get(0).metadata())
        .containsEntry("chosen_id", Fixtures.flatId(30))
        .containsEntry("rejected_id", Fixtures.flatId(40))
        .containsEntry("chosen_rank", 0)
        .containsEntry("rejected_rank", 2);
    assertThat(worst.get(0).prompt())
        .containsExactly(Message.user(Fixtures.line(Fixtures.FLAT, 29).get("text").textValue()));
    assertThat(worst.get(0).chosen())
        .containsExactly(
            Message.assistant(Fixtures.line(Fixtures.FLAT, 30).get("text").textValue()));

    List<Preference> rest = pairsUnder(29, DpoPairs.BEST_VS_REST);
    assertThat(rest)
        .extracting(p -> p.metadata().get("rejected_id"))
        .containsExactly(Fixtures.flatId(31), Fixtures.flatId(40));
    assertThat(rest)
        .allSatisfy(p -> assertThat(p.metadata()).containsEntry("chosen_id", Fixtures.flatId(30)));

    List<Preference> all = pairsUnder(29, DpoPairs.ALL_PAIRS);
    assertThat(all)
        .extracting(p -> p.metadata().get("chosen_id") + ">" + p.metadata().get("rejected_id"))
        .containsExactly(
            Fixtures.flatId(30) + ">" + Fixtures.flatId(31),
            Fixtures.flatId(30) + ">" + Fixtures.flatId(40),
            Fixtures.flatId(31) + ">" + Fixtures.flatId(40));
  }

  @Test
  void unrankedFailedReplyAtLine75IsNeverTheWorst() {
    // Parent l.71: ranks 0, 1, 2 at l.72-74 and an unranked "Hi !" at l.75 (review_result false).
    List<Preference> worst = pairsUnder(71, DpoPairs.BEST_VS_WORST);
    assertThat(worst).hasSize(1);
    assertThat(worst.get(0).metadata()).containsEntry("rejected_id", Fixtures.flatId(74));
    List<Preference> all = pairsUnder(71, DpoPairs.ALL_PAIRS);
    assertThat(all).hasSize(3).noneMatch(p -> p.metadata().containsValue(Fixtures.flatId(75)));
  }

  @Test
  void unrankedEvenWhenKeptIsNeverPaired() {
    // A synthetic group: ranked 0 and 1, plus an unranked but live reply.
    OasstTree t =
        tree(
            m("p", null, Role.USER, null),
            m("a0", "p", Role.ASSISTANT, 0),
            m("ax", "p", Role.ASSISTANT, null),
            m("a1", "p", Role.ASSISTANT, 1));
    List<Preference> pairs = t.select(OasstFilter.defaults()).dpoPairs(DpoPairs.ALL_PAIRS);
    assertThat(pairs).hasSize(1);
    assertThat(pairs.get(0).metadata())
        .containsEntry("chosen_id", "a0")
        .containsEntry("rejected_id", "a1");
  }

  @Test
  void allNullRankGroupUnderLine549YieldsNoPair() {
    assertThat(pairsUnder(549, DpoPairs.ALL_PAIRS)).isEmpty();
  }

  @Test
  void lonelyRankTwoAtLine689YieldsNoPairButRankGapsPairByOrder() {
    assertThat(pairsUnder(688, DpoPairs.ALL_PAIRS)).isEmpty();
    OasstTree t =
        tree(
            m("p", null, Role.USER, null),
            m("a2", "p", Role.ASSISTANT, 2),
            m("a5", "p", Role.ASSISTANT, 5),
            m("a0", "p", Role.ASSISTANT, 0));
    List<Preference> pairs = t.select(OasstFilter.defaults()).dpoPairs(DpoPairs.BEST_VS_WORST);
    assertThat(pairs)
        .singleElement()
        .satisfies(
            p ->
                assertThat(p.metadata())
                    .containsEntry("chosen_id", "a0")
                    .containsEntry("rejected_id", "a5"));
  }

  @Test
  void deletedMessagesKeepTheirRankButAreFilteredBeforePairing() {
    // l.589 (rank 1, deleted) was the only other ranked reply next to l.588 (rank 0).
    assertThat(pairsUnder(587, DpoPairs.ALL_PAIRS)).isEmpty();
    // l.632 (rank 2, deleted) leaves rank 0 and l.631 (rank 1) to pair.
    String parent = Fixtures.line(Fixtures.FLAT, 631).get("parent_id").textValue();
    int parentLine = lineOf(parent);
    List<Preference> worst = pairsUnder(parentLine, DpoPairs.BEST_VS_WORST);
    assertThat(worst)
        .singleElement()
        .satisfies(
            p -> assertThat(p.metadata()).containsEntry("rejected_id", Fixtures.flatId(631)));
  }

  @Test
  void tiesBreakByMessageId() {
    OasstTree t =
        tree(
            m("p", null, Role.USER, null),
            m("b", "p", Role.ASSISTANT, 0),
            m("a", "p", Role.ASSISTANT, 0),
            m("c", "p", Role.ASSISTANT, 1));
    OasstTree.Selection s = t.select(OasstFilter.defaults());
    assertThat(s.dpoPairs(DpoPairs.BEST_VS_WORST))
        .singleElement()
        .satisfies(
            p ->
                assertThat(p.metadata())
                    .containsEntry("chosen_id", "a")
                    .containsEntry("rejected_id", "c"));
    assertThat(s.dpoPairs(DpoPairs.BEST_VS_REST))
        .extracting(p -> p.metadata().get("rejected_id"))
        .containsExactly("b", "c");
    // all-pairs needs rank_i < rank_j, so the tied pair a/b is not formed.
    assertThat(s.dpoPairs(DpoPairs.ALL_PAIRS))
        .extracting(p -> p.metadata().get("chosen_id") + ">" + p.metadata().get("rejected_id"))
        .containsExactly("a>c", "b>c");
  }

  @Test
  void sftAllEmitsOnePathPerAssistantWithoutAssistantDescendant() {
    OasstTree t =
        tree(
            m("p", null, Role.USER, null),
            m("a1", "p", Role.ASSISTANT, 0),
            m("p2", "a1", Role.USER, null),
            m("a2", "p2", Role.ASSISTANT, 0),
            m("b1", "p", Role.ASSISTANT, 1),
            m("q", "b1", Role.USER, null));
    List<Conversation> sft = t.select(OasstFilter.defaults()).sftConversations(SftPaths.ALL);
    assertThat(sft)
        .extracting(OasstTreeTest::messageIds)
        .containsExactly(List.of("p", "a1", "p2", "a2"), List.of("p", "b1"));
    assertThat(sft.get(0).metadata())
        .containsEntry("tree_id", "t")
        .containsEntry("source", "oasst");
  }

  @Test
  void sftBestFollowsLowestRankThenDateThenIdAndDropsTrailingUser() {
    OasstTree t =
        tree(
            m("p", null, Role.USER, null),
            m("a1", "p", Role.ASSISTANT, 1),
            m("a0", "p", Role.ASSISTANT, 0),
            mDated("q-late", "a0", "2023-03-01T00:00:00+00:00"),
            mDated("q-early", "a0", "2023-02-01T00:00:00+00:00"),
            m("unranked", "q-early", Role.ASSISTANT, null),
            m("leaf", "unranked", Role.USER, null));
    List<Conversation> best = t.select(OasstFilter.defaults()).sftConversations(SftPaths.BEST);
    assertThat(best)
        .singleElement()
        .extracting(OasstTreeTest::messageIds)
        .isEqualTo(List.of("p", "a0", "q-early", "unranked"));
  }

  @Test
  void sftBestWithoutAssistantEmitsNothing() {
    OasstTree t = tree(m("p", null, Role.USER, null), m("p2", "p", Role.USER, null));
    assertThat(t.select(OasstFilter.defaults()).sftConversations(SftPaths.BEST)).isEmpty();
  }

  @Test
  void nonAlternatingRolesArePreserved() {
    OasstTree t =
        tree(
            m("p", null, Role.USER, null),
            m("p2", "p", Role.USER, null),
            m("a", "p2", Role.ASSISTANT, null),
            m("a2", "a", Role.ASSISTANT, null));
    List<Conversation> sft = t.select(OasstFilter.defaults()).sftConversations(SftPaths.ALL);
    assertThat(sft)
        .singleElement()
        .satisfies(
            c ->
                assertThat(c.messages())
                    .extracting(Message::role)
                    .containsExactly(Role.USER, Role.USER, Role.ASSISTANT, Role.ASSISTANT));
    assertThat(Validator.standard().validate(sft.get(0))).isEmpty();
  }

  @Test
  void deepEarlyExportTreesGiveTenMessagePaths() {
    List<Integer> lengths = new ArrayList<>();
    try (OasstReader r =
        OasstReader.open(
            Fixtures.file(Fixtures.EARLY),
            OasstReader.Grouping.STREAMING,
            rej -> {
              throw new AssertionError(rej);
            })) {
      r.forEachRemaining(
          t ->
              t.select(OasstFilter.defaults())
                  .sftConversations(SftPaths.ALL)
                  .forEach(c -> lengths.add(c.messages().size())));
    }
    assertThat(lengths).contains(10);
    assertThat(lengths.stream().mapToInt(Integer::intValue).max().orElse(0)).isEqualTo(10);
  }

  @Test
  void langFilterExcludesSubtreeAndIgnoresCase() {
    OasstTree t =
        tree(
            m("p", null, Role.USER, null),
            mLang("de", "p", "DE"),
            m("under-de", "de", Role.USER, null),
            mLang("en", "p", "EN"));
    OasstTree.Selection s = t.select(OasstFilter.builder().lang("en").build());
    assertThat(s.isKept("en")).isTrue();
    assertThat(s.isKept("de")).isFalse();
    assertThat(s.isKept("under-de")).isFalse();
    assertThat(s.excluded()).isEqualTo(2);
  }

  @Test
  void labelThresholdsExcludeByNameAndLetUnlabelledPass() {
    Map<String, OasstMessage.Label> bad =
        Map.of(
            "quality", new OasstMessage.Label(0.2, 3), "toxicity", new OasstMessage.Label(0.1, 3));
    Map<String, OasstMessage.Label> toxic =
        Map.of(
            "quality", new OasstMessage.Label(0.9, 3), "toxicity", new OasstMessage.Label(0.8, 3));
    Map<String, OasstMessage.Label> good =
        Map.of(
            "quality", new OasstMessage.Label(0.9, 3), "toxicity", new OasstMessage.Label(0.0, 3));
    OasstTree t =
        tree(
            m("p", null, Role.USER, null),
            labelled("bad", bad),
            labelled("toxic", toxic),
            labelled("good", good),
            m("none", "p", Role.ASSISTANT, 3));
    OasstFilter f =
        OasstFilter.builder().minLabel("quality", 0.5).maxLabel("toxicity", 0.5).build();
    OasstTree.Selection s = t.select(f);
    assertThat(s.isKept("bad")).isFalse();
    assertThat(s.isKept("toxic")).isFalse();
    assertThat(s.isKept("good")).isTrue();
    assertThat(s.isKept("none")).isTrue();
    assertThat(f.reason(t.message("bad"))).isEqualTo("quality 0.2 < 0.5");
  }

  @Test
  void sftAndDpoMetadataCarryIdsRanksAndLabels() {
    Preference p = pairsUnder(29, DpoPairs.BEST_VS_WORST).get(0);
    assertThat(p.metadata())
        .containsEntry("tree_id", Fixtures.flatId(29))
        .containsEntry("prompt_ids", List.of(Fixtures.flatId(29)));
    @SuppressWarnings("unchecked")
    Map<String, Object> labels = (Map<String, Object>) p.metadata().get("chosen_labels");
    assertThat(labels).containsKeys("quality", "helpfulness");
    Conversation c =
        treeOf(29).select(OasstFilter.defaults()).sftConversations(SftPaths.ALL).get(0);
    assertThat(c.metadata()).containsKeys("message_ids", "ranks", "labels");
    assertThat((List<?>) c.metadata().get("ranks")).hasSameSizeAs(c.messages());
  }

  static List<String> messageIds(Conversation c) {
    @SuppressWarnings("unchecked")
    List<String> ids = (List<String>) c.metadata().get("message_ids");
    return ids;
  }

  private static int lineOf(String messageId) {
    for (int line = 1; line <= 953; line++) {
      if (Fixtures.flatId(line).equals(messageId)) {
        return line;
      }
    }
    throw new AssertionError(messageId);
  }

  static OasstTree tree(OasstMessage... messages) {
    return OasstTree.of("t", Location.UNKNOWN, List.of(messages));
  }

  static OasstMessage m(String id, String parent, Role role, Integer rank) {
    return new OasstMessage(
        id,
        parent,
        "t",
        role,
        "text of " + id,
        "en",
        null,
        null,
        null,
        true,
        false,
        rank,
        false,
        null,
        null,
        null,
        null);
  }

  private static OasstMessage mDated(String id, String parent, String date) {
    return new OasstMessage(
        id,
        parent,
        "t",
        Role.USER,
        "text of " + id,
        "en",
        date,
        null,
        null,
        true,
        false,
        null,
        false,
        null,
        null,
        null,
        null);
  }

  private static OasstMessage mLang(String id, String parent, String lang) {
    return new OasstMessage(
        id,
        parent,
        "t",
        Role.ASSISTANT,
        "text",
        lang,
        null,
        null,
        null,
        true,
        false,
        0,
        false,
        null,
        null,
        null,
        null);
  }

  private static OasstMessage labelled(String id, Map<String, OasstMessage.Label> labels) {
    return new OasstMessage(
        id,
        "p",
        "t",
        Role.ASSISTANT,
        "text",
        "en",
        null,
        null,
        null,
        true,
        false,
        0,
        false,
        null,
        null,
        labels,
        null);
  }
}
