package org.bgtai.examples;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Path;
import org.bgtai.tensor.testing.Shared;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AlignDigitStringTest {
    /**
     * With this seed (honest strings: silences of 0-1.5 s, speaking-rate changes): DS-Net 0.998
     * frame accuracy, untrained 0.749, teacher 0.997, uniform 0.875, boundaries 1 ms from the true
     * silences.
     */
    @Test
    void dsNetLearnsToAlignHeldOutStrings() throws Exception {
        Path fsdd = Shared.require("data/fsdd");
        Printed p = new Printed();
        AlignDigitString.Result r = AlignDigitString.run(fsdd, p.out);
        assertTrue(r.dsNet() > r.untrained() + 0.2, "DS-Net " + r.dsNet() + " vs untrained " + r.untrained());
        assertTrue(r.dsNet() > 0.9, "DS-Net frame accuracy " + r.dsNet());
        assertTrue(r.dsNet() > r.uniform() + 0.05, "DS-Net " + r.dsNet() + " vs the uniform split " + r.uniform());
        assertTrue(r.dsNet() > r.teacher() - 0.05, "DS-Net " + r.dsNet() + " vs its DTW teacher " + r.teacher());
        assertTrue(r.boundaryErrorMs() < 50, "mean boundary error " + r.boundaryErrorMs() + " ms");
        assertEquals(AlignDigitString.DIGITS, r.digits().length);
        assertEquals(AlignDigitString.DIGITS - 1, r.boundaryMs().length);
        for (int i = 0; i < r.boundaryMs().length; i++) {
            assertTrue(r.trueGapsMs()[i][0] <= r.trueGapsMs()[i][1], "a silence ends after it starts");
            if (i > 0) assertTrue(r.boundaryMs()[i] > r.boundaryMs()[i - 1], "boundaries in order");
        }
        assertTrue(p.text().contains("frame accuracy on 30 held-out 3-digit strings"), p.text());
    }

    @Test
    void withoutFsddItSaysWhereItLookedAndExits(@TempDir Path tmp) throws Exception {
        String printed = Printed.systemOut(() -> AlignDigitString.main(new String[] {tmp.resolve("nowhere").toString()}));
        assertTrue(printed.contains("needs the Free Spoken Digit Dataset") && printed.contains("nowhere"), printed);
    }
}
