package io.sluice.protocol.bounce;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Finds, in one pass over a text, which of many phrases occur in it: an Aho-Corasick automaton
 * compiled into a dense transition table over ASCII (KumoMTA compiles its bounce rules into a regex
 * set for the same reason: cost independent of the number of rules). Phrases with non-ASCII
 * characters, rare in SMTP replies, are checked with {@code indexOf}. Immutable and thread-safe.
 */
final class LiteralMatcher {

    private static final int ALPHABET = 128;

    private final int[] next;      // node * ALPHABET + char -> node (full DFA, failure links folded in)
    private final int[][] outputs; // node -> ids of phrases ending here, including via failure links
    private final String[] wide;   // non-ASCII phrases
    private final int[] wideIds;

    /** @param phrases normalised phrases; {@code ids[i]} is reported when {@code phrases[i]} occurs */
    LiteralMatcher(List<String> phrases, int[] ids) {
        List<int[]> trie = new ArrayList<>();
        List<int[]> out = new ArrayList<>();
        trie.add(newNode());
        out.add(new int[0]);
        List<String> wideList = new ArrayList<>();
        List<Integer> wideIdList = new ArrayList<>();
        for (int p = 0; p < phrases.size(); p++) {
            String s = phrases.get(p);
            if (!isAscii(s)) {
                wideList.add(s);
                wideIdList.add(ids[p]);
                continue;
            }
            int node = 0;
            for (int i = 0; i < s.length(); i++) {
                int c = s.charAt(i);
                if (trie.get(node)[c] < 0) {
                    trie.get(node)[c] = trie.size();
                    trie.add(newNode());
                    out.add(new int[0]);
                }
                node = trie.get(node)[c];
            }
            out.set(node, append(out.get(node), ids[p]));
        }
        int n = trie.size();
        int[] fail = new int[n];
        next = new int[n * ALPHABET];
        ArrayDeque<Integer> queue = new ArrayDeque<>();
        for (int c = 0; c < ALPHABET; c++) {
            int child = trie.get(0)[c];
            next[c] = child < 0 ? 0 : child;
            if (child > 0) {
                fail[child] = 0;
                queue.add(child);
            }
        }
        while (!queue.isEmpty()) {
            int node = queue.poll();
            out.set(node, union(out.get(node), out.get(fail[node])));
            for (int c = 0; c < ALPHABET; c++) {
                int child = trie.get(node)[c];
                if (child < 0) {
                    next[node * ALPHABET + c] = next[fail[node] * ALPHABET + c];
                } else {
                    fail[child] = next[fail[node] * ALPHABET + c];
                    next[node * ALPHABET + c] = child;
                    queue.add(child);
                }
            }
        }
        outputs = out.toArray(new int[0][]);
        wide = wideList.toArray(new String[0]);
        wideIds = wideIdList.stream().mapToInt(Integer::intValue).toArray();
    }

    /** Sets {@code hits[id]} for every phrase found in the normalised text. */
    void scan(String text, boolean[] hits) {
        int node = 0;
        for (int i = 0, len = text.length(); i < len; i++) {
            char c = text.charAt(i);
            node = c < ALPHABET ? next[node * ALPHABET + c] : 0;
            int[] o = outputs[node];
            for (int k = 0; k < o.length; k++) {
                hits[o[k]] = true;
            }
        }
        for (int w = 0; w < wide.length; w++) {
            if (!hits[wideIds[w]] && text.contains(wide[w])) {
                hits[wideIds[w]] = true;
            }
        }
    }

    /** Lower case, every run of white space one space: how both phrases and texts are compared. */
    static String normalise(String s) {
        StringBuilder b = new StringBuilder(s.length());
        boolean space = false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
                space = true;
                continue;
            }
            if (space && b.length() > 0) {
                b.append(' ');
            }
            space = false;
            b.append(c < ALPHABET ? (c >= 'A' && c <= 'Z' ? (char) (c + 32) : c) : Character.toLowerCase(c));
        }
        return b.toString();
    }

    private static boolean isAscii(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) >= ALPHABET) {
                return false;
            }
        }
        return true;
    }

    private static int[] newNode() {
        int[] a = new int[ALPHABET];
        Arrays.fill(a, -1);
        return a;
    }

    private static int[] append(int[] a, int v) {
        int[] b = Arrays.copyOf(a, a.length + 1);
        b[a.length] = v;
        return b;
    }

    private static int[] union(int[] a, int[] b) {
        if (b.length == 0) {
            return a;
        }
        return Arrays.stream(append2(a, b)).distinct().toArray();
    }

    private static int[] append2(int[] a, int[] b) {
        int[] c = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }
}
