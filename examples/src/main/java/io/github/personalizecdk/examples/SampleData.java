package io.github.personalizecdk.examples;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * Small, deterministic CSV files the examples import: the same seed gives the same bytes in every run, so the
 * deployment's asset hash, and with it the template, is stable. Each map is object key to file content, the key
 * under the folder its import job reads. The sizes meet Personalize's minimums: at least 1,000 interactions from
 * at least 25 users with 2 or more interactions each in a FULL import, and 1,000 new records in an INCREMENTAL one.
 */
public final class SampleData {
    /** Users in the ECOMMERCE data; each has at least {@value #MIN_PER_USER} interactions. */
    public static final int USERS = 100;
    /** Items in the ECOMMERCE data. */
    public static final int ITEMS = 200;
    /** Interactions in the FULL import of each example. */
    public static final int INTERACTIONS = 1_500;
    /** New interactions in the ECOMMERCE example's INCREMENTAL import. */
    public static final int INCREMENTAL_INTERACTIONS = 1_000;
    /** Interactions every user has in each interactions file, at least. */
    public static final int MIN_PER_USER = 2;

    /** 2025-01-01T00:00:00Z in epoch seconds, where the data's clock starts. */
    private static final long EPOCH = 1_735_689_600L;
    private static final long DAY = 86_400L;
    private static final String[] CATEGORIES = {"apparel", "beauty", "electronics", "home", "outdoors"};
    private static final String[] SUBCATEGORIES = {"basics", "premium", "accessories", "seasonal"};
    private static final String[] MEMBERSHIP = {"BASIC", "SILVER", "GOLD"};
    private static final String[] ADJECTIVES = {"Light", "Sturdy", "Compact", "Classic", "Soft", "Bright"};

    private SampleData() {
    }

    /** @return the Users, Items, Interactions (FULL) and Interactions (INCREMENTAL) files of the ECOMMERCE example */
    public static Map<String, String> ecommerce() {
        Random random = new Random(11);
        Map<String, String> files = new LinkedHashMap<>();
        StringBuilder users = new StringBuilder("USER_ID,MEMBERSHIP_STATUS\n");
        for (int u = 0; u < USERS; u++) {
            users.append(userId(u)).append(',').append(MEMBERSHIP[random.nextInt(MEMBERSHIP.length)]).append('\n');
        }
        StringBuilder items = new StringBuilder(
                "ITEM_ID,PRICE,CATEGORY_L1,CATEGORY_L2,PRODUCT_DESCRIPTION,CREATION_TIMESTAMP\n");
        for (int i = 0; i < ITEMS; i++) {
            String category = CATEGORIES[i % CATEGORIES.length];
            String subcategory = SUBCATEGORIES[random.nextInt(SUBCATEGORIES.length)];
            int cents = 199 + random.nextInt(19_800);
            items.append(itemId(i)).append(',')
                    .append(cents / 100).append('.').append(String.format(Locale.ROOT, "%02d", cents % 100)).append(',')
                    .append(category).append(',')
                    .append(subcategory).append(',')
                    .append(ADJECTIVES[random.nextInt(ADJECTIVES.length)]).append(' ').append(subcategory)
                    .append(" product from our ").append(category).append(" range").append(',')
                    .append(EPOCH - (ITEMS - i) * DAY).append('\n');
        }
        files.put("imports/users/users.csv", users.toString());
        files.put("imports/items/items.csv", items.toString());
        files.put("imports/interactions/interactions.csv",
                interactions(random, "USER_ID,ITEM_ID,EVENT_TYPE,TIMESTAMP", INTERACTIONS, EPOCH, false));
        files.put("imports/interactions-incremental/interactions.csv",
                interactions(random, "USER_ID,ITEM_ID,EVENT_TYPE,TIMESTAMP", INCREMENTAL_INTERACTIONS,
                        EPOCH + 60 * DAY, false));
        return files;
    }

    /** @return the Interactions file of the custom example, with event types and values */
    public static Map<String, String> custom() {
        Random random = new Random(12);
        return Map.of("imports/interactions/interactions.csv", interactions(random,
                "USER_ID,ITEM_ID,TIMESTAMP,EVENT_TYPE,EVENT_VALUE", INTERACTIONS, EPOCH, true));
    }

    /**
     * Every user first gets {@value #MIN_PER_USER} interactions, then the rest go to random users; timestamps
     * rise through 60 days from {@code start}.
     */
    private static String interactions(Random random, String header, int rows, long start, boolean withValue) {
        List<Integer> users = new ArrayList<>();
        for (int r = 0; r < rows; r++) {
            users.add(r < USERS * MIN_PER_USER ? r % USERS : random.nextInt(USERS));
        }
        StringBuilder csv = new StringBuilder(header).append('\n');
        long step = 60 * DAY / rows;
        for (int r = 0; r < rows; r++) {
            boolean purchase = random.nextInt(10) == 0;
            String user = userId(users.get(r));
            String item = itemId(random.nextInt(ITEMS));
            long timestamp = start + r * step + random.nextInt((int) step);
            String event = purchase ? "Purchase" : "View";
            if (withValue) {
                csv.append(user).append(',').append(item).append(',').append(timestamp).append(',')
                        .append(event).append(',').append(purchase ? "1.0" : "0.5").append('\n');
            } else {
                csv.append(user).append(',').append(item).append(',').append(event).append(',')
                        .append(timestamp).append('\n');
            }
        }
        return csv.toString();
    }

    private static String userId(int u) {
        return String.format(Locale.ROOT, "user-%03d", u + 1);
    }

    private static String itemId(int i) {
        return String.format(Locale.ROOT, "item-%03d", i + 1);
    }
}
