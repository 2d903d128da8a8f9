package org.bgtai.text;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.bgtai.langue2gloss.ParallelCorpus;
import org.bgtai.tensor.testing.Shared;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Tokenization of PHOENIX-2014T is frozen: for each tokenizer kind and setting, the saved JSON and
 * the ids (and decoded text) of every sentence of train, dev and test hash to the values the
 * string-keyed implementation gave before the tokenizers moved to fastutil's primitive maps
 * (commit 18d405e). The published BLEU depends on these ids, so a change here is a change of
 * the product, not a refactoring.
 *
 * <p>Each row: side ({@code spoken}: lower-cased text, {@code glosses}: gloss side as trained by
 * {@code l2g}), kind, its parameter (min count or number of merges), SHA-256 of the saved JSON,
 * SHA-256 of the ids of all sentences, SHA-256 of their decoded text.
 */
class PhoenixTokenizationTest {
    static final String[] SPLITS = {"train", "dev", "test"};
    static final List<List<String>> SPOKEN = new ArrayList<>(), GLOSSES = new ArrayList<>();

    @BeforeAll
    static void load() throws Exception {
        Path dir = Shared.require("data/phoenix14t-text2gloss");
        SPOKEN.clear();
        GLOSSES.clear();
        for (String s : SPLITS) {
            ParallelCorpus c = ParallelCorpus.load(dir, s);
            SPOKEN.add(c.source());
            GLOSSES.add(c.target());
        }
    }

    @ParameterizedTest(name = "{0} {1} {2}")
    @CsvSource({
        "spoken,  word, 1,      3953d4c4bd0e05d73d17fc0d60acd4cf896e49975bee11c50c4cb35492f7b789, 9ea2481f569e8d76ff4e568f09e11e75cda495592268c4a22ba994429c4225ab, ac40b5f1042db447158342f1d802130573e6c6a43b37a401d5210eb057c7d45b",
        "glosses, word, 1,      3b377eaa074ee72a8b09a54ed3a6a17902ccb61748da9ad0e5b3448892b13885, 391c420c84ed3e34225d80a5096ea7980c0f09837955735cd28b6582ff28b455, fec41e92dbfa0d6df7146d7ccd3fed590f208db78c1c8489c44c6c64f8c40b79",
        "spoken,  word, 2,      65067b19dbdb835eea5a5e5647396e0a78b89bbb14715afd3dc787ce3a0e3da2, 6d4cf5de2549225d18b8604eaeb8ce6879af7cbcba1bc09d60e1d0cd7f4a3dac, b40a23ae7b00b894fc8569c5cffe9c576efd339acf3d69d08e4883afc0c2c90e",
        "spoken,  bpe,  2000,   4ff0a3dcb2f53ffd93d5921f29f3123edc959b2192d2425cae8c35bfd31c1b52, bfb04e1382c6144a8d5f72a87dad0210749778297bda0c250a2047004ec87923, 74931c429016f3f63b58d585e81095a20fbfbe7d0f30f6f428f368ef26eb0ffd",
        "glosses, bpe,  2000,   4f2ebcdffa6b592d34a041ca2eb68943ac5bb2597ee685cd457359703c00b3cc, 8c678af0e5586ffe610d816e3fab8a34c757f0acae318fb23aef0019ca90be94, a60fc5b876996b0789e3cc0089e9eeb0df8c6e1d16700fb001a4069054f05263",
        "spoken,  bpe,  300,    f9b2585d279d9a2e8030c23a5d3f402e0cca01121d24a5d9b89e1015e264eaf4, fbf18a1ffe20f82e49605fd262481cb34fc411486e268b343e7f8ae134f55c75, 74931c429016f3f63b58d585e81095a20fbfbe7d0f30f6f428f368ef26eb0ffd",
        "spoken,  bpe,  100000, 57809cbea47b39744cb78cf6cd5c0f183d2f68b1679333143793a0e25008b46f, df40c00daba82fd20dbdb82f32ca72f1fd404ad4b0f0a03f1404275fea461c5b, 74931c429016f3f63b58d585e81095a20fbfbe7d0f30f6f428f368ef26eb0ffd",
        "glosses, bpe,  500,    304ef726278a8ddfcac3f595529aa9280e824245c55dbe34f96c747827114f1e, fc418a4edec27d8cb93e7a805b5bdf334847ab4f45785a5a695646f1f9efc97f, a60fc5b876996b0789e3cc0089e9eeb0df8c6e1d16700fb001a4069054f05263",
    })
    void sameJsonAndIdsAsBefore(String side, String kind, int param, String jsonSha, String idsSha, String textSha, @TempDir Path tmp) throws Exception {
        boolean spoken = side.equals("spoken");
        List<List<String>> splits = spoken ? SPOKEN : GLOSSES;
        Tokenizer t = kind.equals("word") ? WordTokenizer.train(splits.get(0), param, spoken) : BpeTokenizer.train(splits.get(0), param, spoken);
        Path f = tmp.resolve("tok.json");
        t.save(f);
        MessageDigest ids = MessageDigest.getInstance("SHA-256"), text = MessageDigest.getInstance("SHA-256");
        ByteBuffer b = ByteBuffer.allocate(4);
        for (List<String> split : splits) {
            for (String line : split) {
                int[] x = t.encode(line);
                for (int id : x) ids.update(b.clear().putInt(id).array());
                ids.update(b.clear().putInt(-1).array());   // sentence boundary
                text.update(t.decode(x).getBytes(StandardCharsets.UTF_8));
                text.update((byte) '\n');
            }
        }
        String[] got = {sha(Files.readAllBytes(f)), HexFormat.of().formatHex(ids.digest()), HexFormat.of().formatHex(text.digest())};
        assertEquals(jsonSha, got[0], "saved tokenizer JSON differs");
        assertEquals(idsSha, got[1], "token ids of PHOENIX train/dev/test differ");
        assertEquals(textSha, got[2], "decoded PHOENIX train/dev/test differ");
    }

    static String sha(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }
}
