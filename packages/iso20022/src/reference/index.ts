export { activeCurrencies, refusedCurrencies, currencyExponent } from './currencies';
export { countryCodes } from './countries';
export { ibanLengths } from './iban';
