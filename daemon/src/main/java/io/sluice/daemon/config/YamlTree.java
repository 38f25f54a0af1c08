package io.sluice.daemon.config;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A parsed YAML data file (provider rules, pools, schedules) read with typed accessors that
 * name the offending key in a {@link ConfigException}: {@code rules.yml: providers[2].message-rate}.
 */
public record YamlTree(String where, Object node) {

    public static YamlTree load(String name, InputStream in) {
        Object root = new Yaml(new SafeConstructor(new LoaderOptions())).load(in);
        return new YamlTree(name, root == null ? Map.of() : root);
    }

    public static YamlTree load(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            return load(file.toString(), in);
        } catch (IOException e) {
            throw new ConfigException(file.toString(), "", "cannot read: " + e.getMessage());
        } catch (RuntimeException e) {
            if (e instanceof ConfigException c) {
                throw c;
            }
            throw new ConfigException(file.toString(), "", "not valid YAML: " + e.getMessage());
        }
    }

    public boolean has(String key) {
        return node instanceof Map<?, ?> m && m.get(key) != null;
    }

    public YamlTree get(String key) {
        Object v = node instanceof Map<?, ?> m ? m.get(key) : null;
        return new YamlTree(where + "." + key, v);
    }

    public boolean isNull() {
        return node == null;
    }

    public List<YamlTree> list() {
        if (node == null) {
            return List.of();
        }
        if (!(node instanceof List<?> l)) {
            throw fail("expected a list");
        }
        return java.util.stream.IntStream.range(0, l.size()).mapToObj(i -> new YamlTree(where + "[" + i + "]", l.get(i)))
                .toList();
    }

    /** Keys of a mapping, in file order. */
    public List<String> keys() {
        if (node == null) {
            return List.of();
        }
        if (!(node instanceof Map<?, ?> m)) {
            throw fail("expected a mapping");
        }
        return m.keySet().stream().map(String::valueOf).toList();
    }

    public String text(String fallback) {
        if (node instanceof java.util.Date date) { // YAML reads 2026-11-28 as a timestamp
            return java.time.LocalDate.ofInstant(date.toInstant(), java.time.ZoneOffset.UTC).toString();
        }
        return node == null ? fallback : String.valueOf(node);
    }

    public List<String> texts() {
        if (node == null) {
            return List.of();
        }
        if (node instanceof List<?> l) {
            return l.stream().map(String::valueOf).toList();
        }
        return List.of(String.valueOf(node));
    }

    public long number(long fallback) {
        if (node == null) {
            return fallback;
        }
        if (node instanceof Number n) {
            return n.longValue();
        }
        String t = String.valueOf(node).strip().toLowerCase(java.util.Locale.ROOT);
        try {
            if (t.equals("unlimited")) {
                return Long.MAX_VALUE;
            }
            if (t.endsWith("k")) {
                return Math.round(Double.parseDouble(t.substring(0, t.length() - 1)) * 1000);
            }
            return Long.parseLong(t);
        } catch (NumberFormatException e) {
            throw fail("not a number");
        }
    }

    public double decimal(double fallback) {
        if (node == null) {
            return fallback;
        }
        try {
            return Double.parseDouble(String.valueOf(node));
        } catch (NumberFormatException e) {
            throw fail("not a number");
        }
    }

    public boolean bool(boolean fallback) {
        return node == null ? fallback : Boolean.parseBoolean(String.valueOf(node));
    }

    public java.time.Duration duration(java.time.Duration fallback) {
        if (node == null) {
            return fallback;
        }
        String t = String.valueOf(node).strip().toLowerCase(java.util.Locale.ROOT);
        try {
            if (t.endsWith("ms")) {
                return java.time.Duration.ofMillis(Long.parseLong(t.substring(0, t.length() - 2)));
            }
            long n = Long.parseLong(t.substring(0, t.length() - 1));
            return switch (t.charAt(t.length() - 1)) {
                case 's' -> java.time.Duration.ofSeconds(n);
                case 'm' -> java.time.Duration.ofMinutes(n);
                case 'h' -> java.time.Duration.ofHours(n);
                case 'd' -> java.time.Duration.ofDays(n);
                default -> throw fail("duration needs a unit: ms, s, m, h or d");
            };
        } catch (NumberFormatException | StringIndexOutOfBoundsException e) {
            throw fail("not a duration (e.g. 90s, 15m, 1h)");
        }
    }

    public ConfigException fail(String problem) {
        return new ConfigException(where, String.valueOf(node), problem);
    }
}
