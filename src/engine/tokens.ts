// The tokens the simulated market knows, with their real mints and decimals.

export interface Token {
  symbol: string;
  mint: string;
  decimals: number;
}

export const TOKENS: readonly Token[] = [
  { symbol: 'SOL', mint: 'So11111111111111111111111111111111111111112', decimals: 9 },
  { symbol: 'USDC', mint: 'EPjFWdd5AufqSSqeM2qN1xzybapC8G4wEGGkZwyTDt1v', decimals: 6 },
  { symbol: 'USDT', mint: 'Es9vMFrzaCERmJfrF4H2FYD4KCoNkY11McCe8BenwNYB', decimals: 6 },
  { symbol: 'BONK', mint: 'DezXAZ8z7PnrnRJjz3wXBoRgixCa6xjnB7YaB1pPB263', decimals: 5 },
  { symbol: 'JUP', mint: 'JUPyiwrYJFskUPiHa7hkeR8VUtAeFoSYbKedZNsDvCN', decimals: 6 },
];

const bySymbol = new Map(TOKENS.map((t) => [t.symbol, t]));
const byMint = new Map(TOKENS.map((t) => [t.mint, t]));

/** Finds a token by symbol (case-insensitive) or by mint address (exact). */
export function findToken(symbolOrMint: string): Token | undefined {
  return bySymbol.get(symbolOrMint.trim().toUpperCase()) ?? byMint.get(symbolOrMint.trim());
}

/** Like findToken, for symbols already validated and stored. */
export function tokenBySymbol(symbol: string): Token {
  const token = bySymbol.get(symbol);
  if (!token) throw new Error(`unknown token symbol ${symbol}`);
  return token;
}
