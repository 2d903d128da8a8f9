import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.bgtai.data.WeatherMaps;
import org.bgtai.metrics.Bleu;

/**
 * The construction's shortcut, measured: translate each PHOENIX test sentence to gloss with the
 * Langue2Gloss model (file of hypotheses, one a line), draw the map of the decoded gloss with the
 * same rule that drew the test maps ({@link WeatherMaps#parse}), and count a hit when it is the
 * sentence's own map. No learning on the image side at all: the score any model that goes through
 * the gloss could reach by copying the renderer. Run (after mvn package) with
 * {@code java -cp "cli/target/lib/*" results/weather/TranslatorParserBaseline.java HYP REF_GLOSSES}.
 */
public class TranslatorParserBaseline {
    public static void main(String[] a) throws Exception {
        List<String> hyp = Files.readAllLines(Path.of(a[0])), ref = Files.readAllLines(Path.of(a[1]));
        if (hyp.size() != ref.size()) throw new IllegalArgumentException(hyp.size() + " hypotheses for " + ref.size() + " references");
        java.util.Set<String> gallery = new java.util.HashSet<>();
        for (String r : ref) if (!WeatherMaps.parse(r).isEmpty()) gallery.add(WeatherMaps.parse(r).key());
        int n = 0, hit = 0, exact = 0;
        List<String[]> h = new ArrayList<>(), rf = new ArrayList<>();
        for (int i = 0; i < ref.size(); i++) {
            WeatherMaps.Scene truth = WeatherMaps.parse(ref.get(i));
            if (truth.isEmpty()) continue;   // the data set keeps only sentences with a map
            n++;
            if (WeatherMaps.parse(hyp.get(i)).key().equals(truth.key())) hit++;
            if (hyp.get(i).trim().equals(ref.get(i).trim())) exact++;
            h.add(hyp.get(i).trim().split("\\s+"));
            rf.add(ref.get(i).trim().split("\\s+"));
        }
        System.out.printf(java.util.Locale.ROOT, "{\"queries\": %d, \"distinct_maps\": %d, \"map_of_decoded_gloss_is_own_map\": %.4f, \"gloss_exact\": %.4f, \"bleu4\": %.2f}%n",
            n, gallery.size(), (double) hit / n, (double) exact / n, Bleu.corpus(h, rf, Bleu.Smoothing.NONE).bleu(4));
    }
}
