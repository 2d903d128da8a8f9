package org.bgtai.examples;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import org.bgtai.data.BuiltinWorld;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbedAndRetrieveTest {
    @Test
    void aNewSoundRetrievesImagesOfItsColourAndBeatsChance(@TempDir Path tmp) throws Exception {
        Printed p = new Printed();
        Path model = tmp.resolve("model.safetensors");
        EmbedAndRetrieve.Result r = EmbedAndRetrieve.run(model, p.out);
        assertTrue(Files.size(model) > 0);
        assertEquals(1.0 / 48, r.chance(), 1e-12);
        // with this seed: R@1 43.8% (21x chance), zero-shot 95.8% (46x chance); 5x leaves a wide margin
        assertTrue(r.r1() >= 5 * r.chance(), "audio->image R@1 " + r.r1());
        assertTrue(r.zeroShotAcc() >= 5 * r.chance(), "zero-shot accuracy " + r.zeroShotAcc());
        // colour is the pitch, the easiest attribute: most of the 5 nearest images share it (chance 1/6 each)
        int colour = BuiltinWorld.colourOf(r.queryLabel()), same = 0;
        for (int l : r.topLabels()) if (BuiltinWorld.colourOf(l) == colour) same++;
        assertTrue(same >= 3, same + " of the top 5 have the query's colour");
        assertEquals(5, r.topLabels().length);
        assertTrue(p.text().contains("big blue triangle"), p.text());
    }
}
