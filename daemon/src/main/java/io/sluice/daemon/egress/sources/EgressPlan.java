package io.sluice.daemon.egress.sources;

import io.sluice.daemon.config.ConfigException;
import io.sluice.daemon.config.YamlTree;
import io.sluice.daemon.egress.shaping.ShapingRules;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Sources, pools, tenants and warm-up schedules, read from the egress file
 * ({@code sluice.egress.file}). Without a file there is one implicit source and no bind, as
 * before pools existed. Immutable; a reload builds a new one.
 *
 * <p>Which pool a delivery uses: the envelope attribute {@code pool} (header X-Sluice-Pool),
 * else the campaign's pool, else the tenant's pool, else {@code default-pool}.
 */
public final class EgressPlan {
    /** A tenant's place in the fair share: weight, and its pool. */
    public record Tenant(String name, int weight, String pool) {
    }

    private final Map<String, Source> sources;
    private final Map<String, Pool> pools;
    private final String defaultPool;
    private final Map<String, Tenant> tenants;
    private final Map<String, String> campaignPools;
    private final Map<String, WarmupSchedule> schedules;

    private EgressPlan(Map<String, Source> sources, Map<String, Pool> pools, String defaultPool,
                       Map<String, Tenant> tenants, Map<String, String> campaignPools,
                       Map<String, WarmupSchedule> schedules) {
        this.sources = Map.copyOf(sources);
        this.pools = Map.copyOf(pools);
        this.defaultPool = defaultPool;
        this.tenants = Map.copyOf(tenants);
        this.campaignPools = Map.copyOf(campaignPools);
        this.schedules = Map.copyOf(schedules);
    }

    public static EgressPlan implicit() {
        Pool pool = new Pool("default", List.of(Source.IMPLICIT), List.of(1));
        return new EgressPlan(Map.of("default", Source.IMPLICIT), Map.of("default", pool), "default", Map.of(),
                Map.of(), Map.of("default", WarmupSchedule.DEFAULT));
    }

    public static EgressPlan load(Path file) {
        return file == null ? implicit() : parse(YamlTree.load(file));
    }

    static EgressPlan parse(YamlTree root) {
        Map<String, WarmupSchedule> schedules = new LinkedHashMap<>();
        schedules.put("default", WarmupSchedule.DEFAULT);
        YamlTree sched = root.get("schedules");
        for (String name : sched.keys()) {
            YamlTree s = sched.get(name);
            Map<String, List<Long>> byProvider = new LinkedHashMap<>();
            for (String p : s.get("providers").keys()) {
                byProvider.put(p, caps(s.get("providers").get(p)));
            }
            schedules.put(name, new WarmupSchedule(name, caps(s.get("daily")), caps(s.get("hourly")), byProvider));
        }
        Map<String, Source> sources = new LinkedHashMap<>();
        YamlTree src = root.get("sources");
        for (String name : src.keys()) {
            YamlTree s = src.get(name);
            InetAddress address;
            try {
                String a = s.get("address").text(null);
                if (a == null) {
                    throw s.get("address").fail("a source needs an address to bind");
                }
                address = InetAddress.getByName(a);
            } catch (UnknownHostException e) {
                throw s.get("address").fail("not an IP address");
            }
            Source.Warmup warmup = null;
            YamlTree w = s.get("warmup");
            if (!w.isNull()) {
                String schedule = w.get("schedule").text("default");
                if (!schedules.containsKey(schedule)) {
                    throw w.get("schedule").fail("no schedule by that name");
                }
                LocalDate start;
                try {
                    start = LocalDate.parse(w.get("start").text(""));
                } catch (DateTimeParseException e) {
                    throw w.get("start").fail("a date like 2026-11-28 is needed");
                }
                warmup = new Source.Warmup(schedule, start, w.get("paused").bool(false));
            }
            Map<String, YamlTree> limits = new LinkedHashMap<>();
            for (String provider : s.get("limits").keys()) {
                YamlTree l = s.get("limits").get(provider);
                ShapingRules.overridden(ShapingRules.PLACEHOLDER, l); // a wrong value fails here, naming its key
                limits.put(provider, l);
            }
            sources.put(name, new Source(name, address, s.get("ehlo").text(null), warmup, limits));
        }
        Map<String, Pool> pools = new LinkedHashMap<>();
        YamlTree pl = root.get("pools");
        for (String name : pl.keys()) {
            YamlTree members = pl.get(name).get("sources");
            List<Source> list = new ArrayList<>();
            List<Integer> weights = new ArrayList<>();
            for (String member : members.keys()) {
                Source s = sources.get(member);
                if (s == null) {
                    throw members.get(member).fail("no source named " + member);
                }
                long weight = members.get(member).number(1);
                if (weight < 1 || weight > 1000) {
                    throw members.get(member).fail("weight must be 1-1000");
                }
                list.add(s);
                weights.add((int) weight);
            }
            if (list.isEmpty()) {
                throw pl.get(name).fail("a pool needs at least one source");
            }
            pools.put(name, new Pool(name, list, weights));
        }
        if (pools.isEmpty()) {
            pools.put("default", new Pool("default", List.of(Source.IMPLICIT), List.of(1)));
            sources.putIfAbsent("default", Source.IMPLICIT);
        }
        String defaultPool = root.get("default-pool").text(pools.keySet().iterator().next());
        if (!pools.containsKey(defaultPool)) {
            throw root.get("default-pool").fail("no pool by that name");
        }
        Map<String, Tenant> tenants = new LinkedHashMap<>();
        YamlTree tn = root.get("tenants");
        for (String name : tn.keys()) {
            YamlTree t = tn.get(name);
            String pool = t.get("pool").text(null);
            if (pool != null && !pools.containsKey(pool)) {
                throw t.get("pool").fail("no pool by that name");
            }
            long weight = t.get("weight").number(1);
            if (weight < 1 || weight > 1000) {
                throw t.get("weight").fail("weight must be 1-1000");
            }
            tenants.put(name, new Tenant(name, (int) weight, pool));
        }
        Map<String, String> campaigns = new LinkedHashMap<>();
        YamlTree cp = root.get("campaigns");
        for (String name : cp.keys()) {
            String pool = cp.get(name).get("pool").text(null);
            if (pool == null || !pools.containsKey(pool)) {
                throw cp.get(name).get("pool").fail("no pool by that name");
            }
            campaigns.put(name, pool);
        }
        return new EgressPlan(sources, pools, defaultPool, tenants, campaigns, schedules);
    }

    private static List<Long> caps(YamlTree t) {
        List<Long> out = new ArrayList<>();
        for (YamlTree c : t.list()) {
            long n = c.number(0);
            if (n < 0) {
                throw c.fail("a cap cannot be negative");
            }
            out.add(n);
        }
        return out;
    }

    /** The pool for a delivery's attributes (pool, campaign, tenant, default); an unknown name falls to the default. */
    public Pool poolFor(String poolAttribute, String campaign, String tenant) {
        Pool p = poolAttribute == null ? null : pools.get(poolAttribute);
        if (p == null && campaign != null && campaignPools.containsKey(campaign)) {
            p = pools.get(campaignPools.get(campaign));
        }
        if (p == null && tenant != null) {
            Tenant t = tenants.get(tenant);
            if (t != null && t.pool() != null) {
                p = pools.get(t.pool());
            }
        }
        return p != null ? p : pools.get(defaultPool);
    }

    public int tenantWeight(String tenant) {
        Tenant t = tenants.get(tenant);
        return t == null ? 1 : t.weight();
    }

    public Map<String, Source> sources() {
        return sources;
    }

    public Map<String, Pool> pools() {
        return pools;
    }

    public WarmupSchedule schedule(String name) {
        return schedules.get(name);
    }

    public Map<String, WarmupSchedule> schedules() {
        return schedules;
    }
}
