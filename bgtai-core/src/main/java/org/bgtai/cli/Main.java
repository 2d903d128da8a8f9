package org.bgtai.cli;

/** Entry point of the {@code ./bgtai} command line. */
public final class Main {
    private Main() {}

    public static void main(String[] args) {
        System.out.println("bgtai: skeleton");
    }
}
