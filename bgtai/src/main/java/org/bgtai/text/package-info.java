/**
 * Tokenizers: {@link org.bgtai.text.WordTokenizer} (word vocabulary with counts and a minimum
 * count) and {@link org.bgtai.text.BpeTokenizer} (byte-pair merges learned in Java), both saved as
 * JSON and loaded with {@link org.bgtai.text.Tokenizer#load}; specials {@code <pad>=0, <unk>=1,
 * <bos>=2, <eos>=3}.
 */
package org.bgtai.text;
